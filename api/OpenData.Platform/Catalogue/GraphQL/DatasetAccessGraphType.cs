using OpenData.Platform.Desensitisation;
using OpenData.Platform.GraphQL;

namespace OpenData.Platform.Catalogue.GraphQL;

/// <summary><c>enum DatasetAccess { open granted requestable pending }</c>: what this caller may do with a dataset's rows.</summary>
internal sealed class DatasetAccessGraphType : CamelCaseEnumGraphType<DatasetAccess>
{
    public DatasetAccessGraphType()
    {
        Name = "DatasetAccess";
        Description = "open or granted: the caller reads rows; requestable: rows need an access request; pending: a request is open.";
    }
}
