using GraphQL.Types;

namespace OpenData.Platform.GraphQL;

/// <summary>An enum whose GraphQL values are spelt as REST spells them (camelCase: <c>open</c>, <c>pseudonymised</c>).</summary>
internal abstract class CamelCaseEnumGraphType<TEnum> : EnumerationGraphType<TEnum>
    where TEnum : Enum
{
    protected override string ChangeEnumCase(string val) =>
        string.IsNullOrEmpty(val) ? val : char.ToLowerInvariant(val[0]) + val[1..];
}
