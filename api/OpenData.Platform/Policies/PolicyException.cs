namespace OpenData.Platform.Policies;

/// <summary>A policy file is missing or wrong; the message names the file, the line and what to fix, and the host does not start.</summary>
internal sealed class PolicyException : Exception
{
    public PolicyException()
    {
    }

    public PolicyException(string message)
        : base(message)
    {
    }

    public PolicyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
