namespace OpenData.Platform.Ingestion;

/// <summary>For tests: a load stopped dead as if its node died (<see cref="IngestionProgress.HaltAfterRows"/>); nothing is cleaned up.</summary>
internal sealed class IngestionHaltedException : Exception
{
    public IngestionHaltedException()
        : base("the load was halted as if its node died")
    {
    }

    public IngestionHaltedException(string message)
        : base(message)
    {
    }

    public IngestionHaltedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
