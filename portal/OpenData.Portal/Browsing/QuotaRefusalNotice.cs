using OpenData.Platform.Quotas;

namespace OpenData.Portal.Browsing;

/// <summary>
/// What a page shows when quota admission refused it: which limit, when to try again, and the way on — sign in (a visitor
/// counted by address) or the usage page (a signed-in person), and the plans in the guide.
/// </summary>
internal sealed record QuotaRefusalNotice(QuotaRefusal Refusal, string ReturnUrl)
{
    public bool Burst => Refusal.Policy == QuotaRefusal.Burst;

    public string SignInLink => "/account/signin?returnUrl=" + Uri.EscapeDataString(ReturnUrl);
}
