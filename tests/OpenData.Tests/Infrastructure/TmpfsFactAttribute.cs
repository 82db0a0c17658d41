namespace OpenData.Tests.Infrastructure;

/// <summary>A fact that needs <see cref="Tmpfs"/>: skipped, with the reason, where no tmpfs can be mounted.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (Tmpfs.WhyNot is { } reason)
        {
            Skip = "needs a tmpfs mount (root on Linux, as on CI): " + reason;
        }
    }
}
