using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.Catalogue.GraphQL;

namespace OpenData.Platform.Access.GraphQL;

/// <summary><c>type AccessRequest</c>: a request for restricted rows with its history (as GET /v1/access-requests/{id}).</summary>
internal sealed class AccessRequestGraphType : ObjectGraphType<AccessRequestView>
{
    public AccessRequestGraphType()
    {
        Name = "AccessRequest";
        Description = "A request for rows of a restricted or sensitive dataset.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("datasetId").Resolve(c => c.Source.DatasetId);
        Field<DatasetGraphType>("dataset").Description("The dataset asked for.")
            .Resolve(c => c.RequestServices!.GetRequiredService<DatasetLoader>().Load(c.Source.DatasetId));
        Field<NonNullGraphType<StringGraphType>>("owner").Description("The dataset owner's tenant.").Resolve(c => c.Source.Owner);
        Field<NonNullGraphType<StringGraphType>>("requester").Description("The requesting tenant.").Resolve(c => c.Source.Requester);
        Field<StringGraphType>("appId").Description("The one app the grant will serve, if named.").Resolve(c => c.Source.AppId);
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("columns").Description("Columns asked for; null for all.").Resolve(c => c.Source.Columns);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("linkage")
            .Description("Linkage domains asked for: tokens of their columns would match the tenant's other datasets that approve them.").Resolve(c => c.Source.Linkage);
        Field<NonNullGraphType<StringGraphType>>("purpose").Resolve(c => c.Source.Purpose);
        Field<NonNullGraphType<StringGraphType>>("kind").Description("records (rows) or verify (the dataset's verification only, never a row).").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<IntGraphType>>("durationDays").Resolve(c => c.Source.DurationDays);
        Field<NonNullGraphType<StringGraphType>>("status")
            .Description("draft (its requester's alone until submitted), submitted, owner_approved, changes_requested, approved, rejected or withdrawn.").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<BooleanGraphType>>("platformReview").Description("Whether the platform reviews after the owner (sensitive data).")
            .Resolve(c => c.Source.PlatformReview);
        Field<StringGraphType>("grantId").Resolve(c => c.Source.GrantId);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("updatedAt").Resolve(c => c.Source.UpdatedAt);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AccessRequestEventGraphType>>>>("history").Resolve(c => c.Source.History);
        Field<Risk.GraphQL.ReidentificationRiskGraphType>("risk")
            .Description("For the reviewers: the re-identification risk of the view a grant of the columns asked for would give; null for the requester.")
            .Resolve(c => c.Source.Risk);
    }
}
