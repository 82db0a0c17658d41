using GraphQL.Types;
using OpenData.Platform.GraphQL;

namespace OpenData.Platform.Analytics.Verification;

/// <summary><c>type VerifyResult</c>: one record's answer, never a row value.</summary>
internal sealed class VerifyResultGraphType : ObjectGraphType<VerifyResult>
{
    public VerifyResultGraphType()
    {
        Name = "VerifyResult";
        Description = "Whether some row agrees on every key; for a fields verification also, per key, whether a row found by the first key agrees.";
        Field<NonNullGraphType<BooleanGraphType>>("match").Resolve(c => c.Source.Match);
        Field<JsonGraphType>("fields").Description("Key → agrees (a fields verification only).").Resolve(c => c.Source.Fields);
    }
}
