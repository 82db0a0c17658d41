using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.Catalogue.GraphQL;

namespace OpenData.Platform.Access.GraphQL;

/// <summary><c>type Grant</c>: who may read which columns of which dataset until when.</summary>
internal sealed class GrantGraphType : ObjectGraphType<GrantView>
{
    public GrantGraphType()
    {
        Name = "Grant";
        Description = "An approved request's permission to read rows, until it expires or is revoked.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("requestId").Resolve(c => c.Source.RequestId);
        Field<NonNullGraphType<StringGraphType>>("datasetId").Resolve(c => c.Source.DatasetId);
        Field<DatasetGraphType>("dataset").Resolve(c => c.RequestServices!.GetRequiredService<DatasetLoader>().Load(c.Source.DatasetId));
        Field<NonNullGraphType<StringGraphType>>("owner").Resolve(c => c.Source.Owner);
        Field<NonNullGraphType<StringGraphType>>("tenant").Description("The tenant that reads.").Resolve(c => c.Source.Tenant);
        Field<StringGraphType>("appId").Resolve(c => c.Source.AppId);
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("columns").Description("Columns granted; null for all.").Resolve(c => c.Source.Columns);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("linkage")
            .Description("Linkage domains the owner approved: tokens of their columns match the tenant's other datasets whose grants approve the same domain.")
            .Resolve(c => c.Source.Linkage);
        Field<NonNullGraphType<StringGraphType>>("purpose").Resolve(c => c.Source.Purpose);
        Field<NonNullGraphType<StringGraphType>>("kind").Description("records (rows) or verify (the dataset's verification only, never a row).").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("expiresAt").Resolve(c => c.Source.ExpiresAt);
        Field<DateTimeOffsetGraphType>("revokedAt").Resolve(c => c.Source.RevokedAt);
        Field<StringGraphType>("revokeReason").Resolve(c => c.Source.RevokeReason);
        Field<NonNullGraphType<StringGraphType>>("status").Description("active, expired or revoked.").Resolve(c => c.Source.Status);
    }
}
