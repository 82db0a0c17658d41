using GraphQL.Types;

namespace OpenData.Platform.Catalogue.GraphQL;

/// <summary><c>type Theme</c>: a catalogue theme.</summary>
internal sealed class ThemeGraphType : ObjectGraphType<Theme>
{
    public ThemeGraphType()
    {
        Name = "Theme";
        Description = "A catalogue theme (主题).";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Name);
        Field<NonNullGraphType<StringGraphType>>("nameEn").Resolve(c => c.Source.NameEn);
    }
}
