namespace OpenData.Platform.Common;

/// <summary>
/// On a code constant of a module's <c>…Errors</c> class: the HTTP status the code is answered with and one line saying when.
/// <see cref="ErrorCodes"/> reads it; the OpenAPI document lists the code, with this line, under that status of every operation
/// that declares it (<see cref="RefusalConventions.Refuses{TBuilder}"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
internal sealed class ErrorCodeAttribute(int status, string meaning) : Attribute
{
    public int Status { get; } = status;

    public string Meaning { get; } = meaning;
}
