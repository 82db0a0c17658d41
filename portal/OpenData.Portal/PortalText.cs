using Microsoft.Extensions.Localization;

// Resources layout: ResourceManagerStringLocalizerFactory looks for a type's strings under
// <root namespace>.<resource location>.<type name>. Saying the location here (not in the host's LocalizationOptions, which is
// one setting for every assembly) keeps the portal's strings found whatever the host sets: PortalText's strings are the embedded
// Resources/PortalText.resx (neutral = English, the fallback of every culture) and Resources/PortalText.zh-Hans.resx, which
// serves zh-CN because zh-Hans is zh-CN's parent culture.
[assembly: ResourceLocation("Resources")]

namespace OpenData.Portal;

/// <summary>The portal's UI strings (<c>IStringLocalizer&lt;PortalText&gt;</c>); the keys and texts are in Resources/PortalText*.resx.</summary>
public sealed class PortalText
{
    private PortalText()
    {
    }
}
