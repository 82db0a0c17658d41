namespace OpenData.Platform.Datasets;

/// <summary>How freely a dataset's rows may flow: open (L1), restricted (L2), sensitive (L3).</summary>
internal enum Classification
{
    Open,
    Restricted,
    Sensitive,
}
