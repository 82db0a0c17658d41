namespace OpenData.Platform.Desensitisation;

/// <summary>What a caller may do with a dataset's rows: read them (open, granted), ask (requestable) or wait (pending).</summary>
public enum DatasetAccess
{
    Open,
    Granted,
    Requestable,
    Pending,
}
