using GraphQL.Types;

namespace OpenData.Platform.Catalogue.GraphQL;

/// <summary><c>type Organisation</c>: a data-publishing organisation.</summary>
internal sealed class OrganisationGraphType : ObjectGraphType<Organisation>
{
    public OrganisationGraphType()
    {
        Name = "Organisation";
        Description = "A data-publishing organisation (数源单位).";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Name);
        Field<NonNullGraphType<StringGraphType>>("nameEn").Resolve(c => c.Source.NameEn);
        Field<StringGraphType>("homepage").Resolve(c => c.Source.Homepage);
        Field<StringGraphType>("email").Resolve(c => c.Source.Email);
    }
}
