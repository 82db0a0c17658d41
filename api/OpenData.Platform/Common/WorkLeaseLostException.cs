namespace OpenData.Platform.Common;

/// <summary>Thrown by <see cref="WorkLease.RenewIfDueAsync"/> when another node took the work over: stop, and leave nothing behind.</summary>
internal sealed class WorkLeaseLostException : Exception
{
    public WorkLeaseLostException()
        : base("the work's lease was taken over by another node")
    {
    }

    public WorkLeaseLostException(string message)
        : base(message)
    {
    }

    public WorkLeaseLostException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
