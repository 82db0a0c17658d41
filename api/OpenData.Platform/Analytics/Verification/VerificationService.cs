using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenData.Platform.Access;
using OpenData.Platform.Catalogue;
using OpenData.Platform.Common;
using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Identity;
using OpenData.Platform.Quotas;

namespace OpenData.Platform.Analytics.Verification;

/// <summary>
/// Verification products (核验服务): the owner of a restricted or sensitive dataset defines which key columns a caller gives and
/// what it gets back (match, or per-key agreement); a tenant holding a <c>verify</c> grant checks 1 to 100 records per call.
/// No answer and no refusal carries a row value. Enumeration is bounded (calls per minute, no_match answers per day, the owner
/// alerted once a day), and every answer leaves no earlier than a floor after the call began, doing the same work for a match
/// as for a no-match, so its timing says nothing the answer does not.
/// </summary>
internal sealed class VerificationService(
    VerificationStore store, DatasetDirectory directory, ClassificationPolicy classification, GrantDirectory grants, IRowAllowance allowance, QuotaDay day,
    TimeProvider clock, IOptions<VerificationOptions> options)
{
    public const int MaxRecords = 100;
    public const int MaxKeys = 5;

    private readonly VerificationOptions _options = options.Value;
    private readonly ConcurrentDictionary<(string Tenant, long Dataset), (long Minute, int Calls)> _minutes = new();

    /// <summary>The owner defines (or redefines) the dataset's verification.</summary>
    public async Task<Outcome<VerificationView>> DefineAsync(ClaimsPrincipal user, string datasetId, VerificationDefinition body, CancellationToken cancellationToken)
    {
        var (dataset, refusal) = await OwnedAsync(user, datasetId, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }
        var errors = new Dictionary<string, string[]>();
        if (classification.For(dataset!.Classification).RowsNeed != RowsNeed.Grant)
        {
            errors["datasetId"] = [$"'{dataset.Id}' is {dataset.Classification.ToString().ToLowerInvariant()} data: its rows are readable, a verification adds nothing"];
        }
        var keys = body.Keys;
        if (keys is null || keys.Count is 0 or > MaxKeys || keys.Distinct(StringComparer.Ordinal).Count() != keys.Count)
        {
            errors["keys"] = [$"keys names 1 to {MaxKeys} distinct columns, the first one identifying (e.g. a licence or ID number), e.g. [\"licenceNo\", \"businessName\"]"];
        }
        else
        {
            foreach (var name in keys)
            {
                var column = name is null ? null : dataset.FindColumn(name);
                if (column is null)
                {
                    errors["keys"] = [$"'{dataset.Id}' has no column '{name}'; its columns are {string.Join(", ", dataset.Columns.Select(c => c.Name))}"];
                    break;
                }
                if (!VerifiedValue.IsKeyType(column.Type))
                {
                    errors["keys"] = [$"column '{name}' is {column.Type.ToString().ToLowerInvariant()}: key columns are string or integer columns"];
                    break;
                }
            }
        }
        var answer = body.Answer ?? VerificationAnswer.Match;
        if (!VerificationAnswer.All.Contains(answer))
        {
            errors["answer"] = ["answer is match (match or no_match per record) or fields (also which key agrees)"];
        }
        if (errors.Count > 0)
        {
            return Refusal.Validation(errors);
        }
        var row = new VerificationStore.DefinitionRow
        {
            DatasetKey = dataset.Key, DatasetId = dataset.Id, OwnerId = dataset.OwnerId, Keys = JsonSerializer.Serialize(keys), Answer = answer,
            UpdatedAt = clock.GetUtcNow(), UpdatedBy = user.Actor() ?? user.TenantId()!,
        };
        await store.SaveAsync(row, new Audit.AuditEvent("verification.defined", user.TenantId(), user.Actor(), dataset.Id, dataset.OwnerId, null,
            Audit.AuditDetails.Of(("keys", keys), ("answer", answer))), cancellationToken);
        return ToView(row);
    }

    /// <summary>The dataset's verification, for its owner.</summary>
    public async Task<Outcome<VerificationView>> GetAsync(ClaimsPrincipal user, string datasetId, CancellationToken cancellationToken)
    {
        var (dataset, refusal) = await OwnedAsync(user, datasetId, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }
        var row = await store.FindAsync(dataset!.Key, cancellationToken);
        return row is null ? NotDefined(dataset.Id) : ToView(row);
    }

    /// <summary>Checks the records against the dataset's rows; the answer is padded to the floor (see the type's summary).</summary>
    public async Task<Outcome<VerifyAnswer>> VerifyAsync(ClaimsPrincipal user, QuotaSubject? quota, string datasetId, VerifyCall body, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var (dataset, table) = await directory.FindForReadCachedAsync(datasetId, cancellationToken);
        if (dataset is null)
        {
            return DatasetDirectory.NotFound(datasetId);
        }
        var tenant = user.TenantId();
        if (tenant is null || await grants.VerifyGrantAsync(user, tenant, dataset.Key, cancellationToken) is not { } grant)
        {
            return Refusal.Forbidden(VerificationErrors.GrantRequired,
                $"verifying against '{dataset.Id}' needs an active verify grant (a records grant does not verify): POST /v1/access-requests {{\"datasetId\": \"{dataset.Id}\", \"kind\": \"verify\", …}}");
        }
        var definition = await store.FindAsync(dataset.Key, cancellationToken);
        if (definition is null)
        {
            return NotDefined(dataset.Id);
        }
        if (table is null)
        {
            return DatasetDirectory.NotPublished(dataset.Id);
        }
        var keys = JsonSerializer.Deserialize<List<string>>(definition.Keys)!.Select(k => dataset.FindColumn(k)).ToList();
        if (keys.Any(k => k is null || !VerifiedValue.IsKeyType(k.Type)))
        {
            return Refusal.Conflict(VerificationErrors.NotDefined, $"the verification of '{dataset.Id}' names a column its current version lacks: its owner must define it again");
        }
        var columns = keys.Select(k => k!).ToList();
        var (values, invalid) = Read(body, columns);
        if (invalid is not null)
        {
            return invalid;
        }

        // Enumeration bounds, before any lookup: the calls of this minute, then today's no_match answers.
        var minute = clock.GetUtcNow().ToUnixTimeSeconds() / 60;
        var window = _minutes.AddOrUpdate((tenant, dataset.Key), _ => (minute, 1), (_, w) => w.Minute == minute ? (minute, w.Calls + 1) : (minute, 1));
        if (window.Calls > _options.CallsPerMinute)
        {
            return new Refusal(429, VerificationErrors.RateLimited,
                $"at most {_options.CallsPerMinute} verification calls a minute on '{dataset.Id}'; try again in the next minute")
            { RetryAfter = 60 - clock.GetUtcNow().ToUnixTimeSeconds() % 60 };
        }
        var today = day.TodayKey;
        if (await store.NoMatchesAsync(tenant, dataset.Key, today, cancellationToken) >= _options.NoMatchesPerDay)
        {
            await AlertAsync(user, tenant, dataset, today, cancellationToken);
            return new Refusal(429, VerificationErrors.NoMatchLimit,
                $"today's {_options.NoMatchesPerDay} no_match answers on '{dataset.Id}' are used up (a bound on enumeration; the owner has been told); the count resets at midnight China Standard Time")
            { RetryAfter = day.SecondsToReset };
        }

        // A call counts its records as rows of the plan's daily allowance.
        var rows = await allowance.ReserveAsync(quota, dataset.Id, values.Count, false, cancellationToken);
        if (rows.Granted < values.Count)
        {
            rows.Settle(0);
            return Records.RecordReader.DailyRowsExceeded(rows.RetryAfterSeconds);
        }
        var lookups = values.Select(v => VerifiedValue.Parameter(columns[0].Type, v[0])).ToList();
        List<List<object?[]>> found;
        try
        {
            await store.EnsureIndexAsync(table, columns[0], cancellationToken);
            found = await store.LookUpAsync(table, columns, lookups, cancellationToken);
        }
        catch (DbException e) when (Records.RecordReader.IsMissingTable(e))
        {
            // The cached version was retired by a publish elsewhere meanwhile: look again, once, in the version served now.
            directory.Forget(dataset.Id);
            (_, table) = await directory.FindForReadCachedAsync(dataset.Id, cancellationToken);
            if (table is null)
            {
                rows.Settle(0);
                return DatasetDirectory.NotPublished(dataset.Id);
            }
            await store.EnsureIndexAsync(table, columns[0], cancellationToken);
            found = await store.LookUpAsync(table, columns, lookups, cancellationToken);
        }
        rows.Settle(values.Count);

        var fields = definition.Answer == VerificationAnswer.Fields;
        var results = new List<VerifyResult>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            results.Add(Compare(columns, values[i], found[i], fields));
        }
        var matches = results.Count(r => r.Match);
        var noMatches = await store.CountAsync(tenant, dataset.Key, today, values.Count, matches, cancellationToken);
        await store.AuditAsync(new Audit.AuditEvent("verification.called", tenant, user.Actor(), dataset.Id, dataset.OwnerId, grant,
            Audit.AuditDetails.Of(("records", values.Count), ("matches", matches), ("noMatches", values.Count - matches), ("version", table.Version))), cancellationToken);
        if (noMatches >= _options.NoMatchesPerDay)
        {
            await AlertAsync(user, tenant, dataset, today, cancellationToken);
        }
        await PadAsync(started, cancellationToken);
        return new VerifyAnswer(results);
    }

    /// <summary>
    /// Compares one record with every candidate row, every key of every row, with no early exit; with no candidate, with a row
    /// of nothing, so a no-match costs what a match does.
    /// </summary>
    private static VerifyResult Compare(List<ColumnDefinition> columns, string?[] given, List<object?[]> candidates, bool fields)
    {
        var agree = new bool[columns.Count];
        var match = false;
        var rows = candidates.Count > 0 ? candidates : [new object?[columns.Count]];
        var real = candidates.Count > 0;
        foreach (var cells in rows)
        {
            var all = true;
            for (var k = 0; k < columns.Count; k++)
            {
                var same = string.Equals(VerifiedValue.OfCell(columns[k].Type, cells[k]), given[k], StringComparison.Ordinal) & real;
                agree[k] |= same;
                all &= same;
            }
            match |= all;
        }
        return new VerifyResult(match, fields ? columns.Select((c, k) => (c.Name, agree[k])).ToDictionary(p => p.Name, p => p.Item2, StringComparer.Ordinal) : null);
    }

    /// <summary>The records' values in normal form, key by key; a refusal naming what to fix (never echoing a value).</summary>
    private static (List<string?[]> Values, Refusal? Invalid) Read(VerifyCall body, List<ColumnDefinition> keys)
    {
        var names = string.Join(", ", keys.Select(k => k.Name));
        if (body.Records is null || body.Records.Count is 0 or > MaxRecords)
        {
            return ([], Refusal.Validation(new Dictionary<string, string[]> { ["records"] = [$"records is a list of 1 to {MaxRecords} objects, each with the keys {names}"] }));
        }
        var values = new List<string?[]>(body.Records.Count);
        for (var i = 0; i < body.Records.Count; i++)
        {
            var record = body.Records[i];
            if (record is null || record.Count != keys.Count || keys.Any(k => !record.ContainsKey(k.Name)))
            {
                return ([], Refusal.Validation(new Dictionary<string, string[]> { [$"records[{i}]"] = [$"each record has exactly the keys {names}"] }));
            }
            var normal = new string?[keys.Count];
            for (var k = 0; k < keys.Count; k++)
            {
                var element = record[keys[k].Name];
                var text = element.ValueKind switch
                {
                    JsonValueKind.String => element.GetString(),
                    JsonValueKind.Number => element.GetRawText(),
                    _ => null,
                };
                normal[k] = VerifiedValue.Normalise(keys[k].Type, text);
                if (normal[k] is null || normal[k]!.Length == 0)
                {
                    return ([], Refusal.Validation(new Dictionary<string, string[]>
                    {
                        [$"records[{i}].{keys[k].Name}"] = [keys[k].Type == ColumnType.Integer ? "a whole number, as a number or a string" : "a non-empty string"],
                    }));
                }
            }
            values.Add(normal);
        }
        return (values, null);
    }

    private async Task AlertAsync(ClaimsPrincipal user, string tenant, DatasetSchema dataset, string today, CancellationToken cancellationToken) =>
        await store.AlertAsync(tenant, dataset.Key, today, clock.GetUtcNow(), dataset.OwnerId,
            new { dataset = dataset.Id, tenant, day = today, limit = _options.NoMatchesPerDay },
            new Audit.AuditEvent("verification.enumeration_suspected", tenant, user.Actor(), dataset.Id, dataset.OwnerId, tenant,
                Audit.AuditDetails.Of(("day", today), ("limit", _options.NoMatchesPerDay))),
            cancellationToken);

    /// <summary>Waits out what is left of the floor since the call began (nothing when the work took longer).</summary>
    private async Task PadAsync(long started, CancellationToken cancellationToken)
    {
        var left = TimeSpan.FromMilliseconds(_options.FloorMilliseconds) - clock.GetElapsedTime(started);
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left, clock, cancellationToken);
        }
    }

    private async Task<(DatasetSchema? Dataset, Refusal? Refusal)> OwnedAsync(ClaimsPrincipal user, string datasetId, CancellationToken cancellationToken)
    {
        var dataset = await directory.FindAsync(datasetId, cancellationToken);
        if (dataset is null)
        {
            return (null, DatasetDirectory.NotFound(datasetId));
        }
        return user.TenantId() == dataset.OwnerId && user.HasScope(Scopes.DatasetsWrite)
            ? (dataset, null)
            : (null, Refusal.Forbidden(VerificationErrors.NotOwner, $"only the owner of '{dataset.Id}' ('{dataset.OwnerId}', with datasets:write) defines or reads its verification"));
    }

    private static Refusal NotDefined(string datasetId) =>
        Refusal.NotFound(VerificationErrors.NotDefined, $"the owner of '{datasetId}' has defined no verification on it");

    private static VerificationView ToView(VerificationStore.DefinitionRow row) =>
        new(row.DatasetId, JsonSerializer.Deserialize<List<string>>(row.Keys)!, row.Answer, row.UpdatedAt, row.UpdatedBy);
}
