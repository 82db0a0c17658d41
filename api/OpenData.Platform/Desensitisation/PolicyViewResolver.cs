using System.Security.Claims;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation.Transforms;
using OpenData.Platform.Identity;

namespace OpenData.Platform.Desensitisation;

/// <summary>
/// The caller's view from the policies: the classification decides whether rows flow (open, granted, requestable, pending);
/// the access level (open, granted or sandbox) picks each tagged column's transform from <c>desensitisation.yaml</c>; a grant
/// may hide more columns. The dataset's owner reads its own rows in clear. A tag the policy does not know hides its column.
/// Tokens are keyed per tenant and dataset; a column whose tag is in a linkage domain the grant approves is keyed by the
/// tenant and domain instead, so it matches the same domain's tokens in other datasets whose grants approve it too.
/// </summary>
internal sealed class PolicyViewResolver(ClassificationPolicy classification, DesensitisationPolicy desensitisation, PseudonymKeys keys, IGrantSource grants) : ICallerViewResolver
{
    public async ValueTask<CallerView> ResolveAsync(ClaimsPrincipal caller, DatasetSchema dataset, CancellationToken cancellationToken)
    {
        var tenant = caller.TenantId();
        var sandbox = tenant is not null && caller.IsSandbox();
        var needs = classification.For(dataset.Classification).RowsNeed;
        var columns = dataset.Columns;

        if (tenant is not null && !sandbox && string.Equals(tenant, dataset.OwnerId, StringComparison.Ordinal))
        {
            var clear = new ColumnRule[columns.Count];
            Array.Fill(clear, ColumnRule.ClearByRight);
            return new CallerView(dataset, needs == RowsNeed.Nothing ? DatasetAccess.Open : DatasetAccess.Granted, clear);
        }

        // Grants exist only for data whose rows need one (requests for other data are refused), so open reads never look.
        var grant = tenant is null || sandbox || needs != RowsNeed.Grant ? AccessGrant.None : await grants.FindAsync(caller, tenant, dataset, cancellationToken);
        var access = needs switch
        {
            // A sandbox caller reads the twin (Records swaps the table), whose values are all made up: no grant is needed.
            _ when sandbox => DatasetAccess.Open,
            RowsNeed.Nothing => DatasetAccess.Open,
            RowsNeed.Token when tenant is not null => DatasetAccess.Open,
            _ when grant.Active => DatasetAccess.Granted,
            _ when grant.Pending => DatasetAccess.Pending,
            _ => DatasetAccess.Requestable,
        };
        var level = sandbox ? AccessLevel.Sandbox : grant.Active ? AccessLevel.Granted : AccessLevel.Open;

        var rules = new ColumnRule[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            rules[i] = Rule(columns[i], level, grant, tenant);
        }
        return new CallerView(dataset, access, rules,
            tenant is null ? null : rule => rule.Linkage is { } domain
                ? keys.ForLinkage(tenant, domain, rule.Transform.TokenBytes)
                : keys.ForDataset(tenant, dataset.Id, rule.Transform.TokenBytes));
    }

    public CallerView ProposedView(DatasetSchema dataset, AccessLevel level, string? tenant, IReadOnlySet<string>? columns)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (level == AccessLevel.Sandbox)
        {
            throw new ArgumentException("a proposed view is open or granted; sandbox callers hold no grants", nameof(level));
        }
        var grant = level == AccessLevel.Granted ? new AccessGrant(true, false, columns) : AccessGrant.None;
        var rules = new ColumnRule[dataset.Columns.Count];
        for (var i = 0; i < rules.Length; i++)
        {
            // An open view narrowed to some columns hides the rest, as a grant of them would.
            rules[i] = columns is not null && !columns.Contains(dataset.Columns[i].Name) ? ColumnRule.Hidden : Rule(dataset.Columns[i], level, grant, tenant);
        }
        return new CallerView(dataset, level == AccessLevel.Granted ? DatasetAccess.Granted : DatasetAccess.Open, rules,
            tenant is null ? null : rule => keys.ForDataset(tenant, dataset.Id, rule.Transform.TokenBytes));
    }

    private static readonly ColumnRule SyntheticTwinValue = new(ColumnVisibility.Synthetic, TransformSpec.Clear, Scan: false);

    private ColumnRule Rule(ColumnDefinition column, AccessLevel level, AccessGrant grant, string? tenant)
    {
        if (grant.Active && grant.Columns is not null && !grant.Columns.Contains(column.Name))
        {
            return ColumnRule.Hidden;
        }
        // Untagged text and numbers leave clear but pass the outbound check: a mobile typed into a number column leaks as surely.
        if (column.Tag is null)
        {
            return column.Type is ColumnType.String or ColumnType.Integer or ColumnType.Decimal ? ColumnRule.ClearScanned : ColumnRule.ClearByRight;
        }
        var rule = desensitisation.Find(column.Tag);
        if (rule is null)
        {
            return ColumnRule.Hidden;
        }
        var spec = rule.For(level);
        return spec.Kind switch
        {
            TransformKind.Clear when rule.OutboundCheck && column.Type is ColumnType.String or ColumnType.Integer or ColumnType.Decimal => ColumnRule.ClearScanned,
            TransformKind.Clear => ColumnRule.ClearByRight,
            TransformKind.Hidden => ColumnRule.Hidden,
            TransformKind.Pseudonymise when tenant is null => ColumnRule.Hidden,
            TransformKind.Pseudonymise => new ColumnRule(spec.Visibility, spec, Scan: false)
            {
                Linkage = level == AccessLevel.Granted && desensitisation.DomainOf(column.Tag) is { } domain && grant.Linkage.Contains(domain.Name) ? domain.Name : null,
            },
            // At the sandbox level a synthetic column leaves as the twin holds it: the twin's values are made up already, and
            // the twin's generator made them in the column's real shape (area codes and birth years as in the real column).
            TransformKind.Synthetic when level == AccessLevel.Sandbox => SyntheticTwinValue,
            TransformKind.Synthetic or TransformKind.Constant => new ColumnRule(spec.Visibility, spec, Scan: false),
            _ => new ColumnRule(spec.Visibility, spec, Scan: true),
        };
    }
}
