namespace OpenData.Platform.Desensitisation;

/// <summary>What a caller may do with a dataset's rows: read them (open, granted), ask (requestable) or wait (pending).</summary>
internal enum DatasetAccess
{
    Open,
    Granted,
    Requestable,
    Pending,
}
