namespace OpenData.Platform.Common;

/// <summary>One error code as its <c>…Errors</c> class declares it: the code, its HTTP status, when it is answered, and where it is declared.</summary>
internal sealed record DeclaredCode(string Code, int Status, string Meaning, Type DeclaredBy, string Name);
