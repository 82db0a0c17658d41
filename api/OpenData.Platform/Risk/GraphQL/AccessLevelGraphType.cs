using OpenData.Platform.Desensitisation;
using OpenData.Platform.GraphQL;

namespace OpenData.Platform.Risk.GraphQL;

/// <summary><c>enum AccessLevel { open granted sandbox }</c>: the column of <c>desensitisation.yaml</c> a view applies.</summary>
internal sealed class AccessLevelGraphType : CamelCaseEnumGraphType<AccessLevel>
{
    public AccessLevelGraphType()
    {
        Name = "AccessLevel";
        Description = "open: no grant; granted: an approved grant; sandbox: a sandbox token.";
    }
}
