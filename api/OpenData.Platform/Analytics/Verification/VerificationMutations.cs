using System.Text.Json;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using OpenData.Platform.GraphQL;
using OpenData.Platform.Quotas;

namespace OpenData.Platform.Analytics.Verification;

/// <summary><c>verify</c>: the same call as <c>POST /v1/datasets/{id}/verify</c> (verify grant, bounds, metering, audit, padding).</summary>
internal sealed class VerificationMutations : IMutationFields
{
    public void AddTo(MutationGraphType mutation)
    {
        ArgumentNullException.ThrowIfNull(mutation);
        mutation.Field<NonNullGraphType<ListGraphType<NonNullGraphType<VerifyResultGraphType>>>>("verify")
            .Description("Checks 1 to 100 records against a dataset's rows with a verify grant, as POST /v1/datasets/{id}/verify; never a row value.")
            .Argument<NonNullGraphType<IdGraphType>>("datasetId")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<JsonGraphType>>>>("records", "Objects of the verification's key columns and the values to check.")
            .ResolveAsync(async c =>
            {
                GraphErrors.Require(c.User);
                GraphErrors.RequireLive(c.User, "verification against the real rows");
                var records = c.GetArgument<List<object?>>("records")
                    .Select(r => JsonSerializer.SerializeToElement(r) is { ValueKind: JsonValueKind.Object } o
                        ? o.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal)
                        : null)
                    .ToList();
                var answer = GraphErrors.ValueOf(await c.RequestServices!.GetRequiredService<VerificationService>().VerifyAsync(
                    c.User!, c.Http().Features.Get<QuotaSubject>(), c.GetArgument<string>("datasetId"), new VerifyCall(records!), c.CancellationToken));
                return answer.Results;
            });
    }
}
