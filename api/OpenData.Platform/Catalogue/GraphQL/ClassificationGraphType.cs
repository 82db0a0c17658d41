using OpenData.Platform.Datasets;
using OpenData.Platform.GraphQL;

namespace OpenData.Platform.Catalogue.GraphQL;

/// <summary><c>enum Classification { open restricted sensitive }</c> (L1, L2, L3).</summary>
internal sealed class ClassificationGraphType : CamelCaseEnumGraphType<Classification>
{
    public ClassificationGraphType()
    {
        Name = "Classification";
        Description = "open (L1): rows for everyone; restricted (L2) and sensitive (L3): rows need an approved access request.";
    }
}
