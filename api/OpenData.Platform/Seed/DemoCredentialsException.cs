namespace OpenData.Platform.Seed;

/// <summary>A demo credential printed in the README still works outside Development; the message says which and what to do.</summary>
internal sealed class DemoCredentialsException : InvalidOperationException
{
    public DemoCredentialsException()
    {
    }

    public DemoCredentialsException(string message)
        : base(message)
    {
    }

    public DemoCredentialsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
