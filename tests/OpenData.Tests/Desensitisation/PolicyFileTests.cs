using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;
using OpenData.Platform.Desensitisation.Transforms;
using OpenData.Platform.Hosting;
using OpenData.Platform.Policies;
using OpenData.Tests.Infrastructure;
using Level = OpenData.Platform.Datasets.Classification;

namespace OpenData.Tests.Desensitisation;

public sealed class PolicyFileTests : IDisposable
{
    private const string Classification = ClassificationPolicy.FileName;
    private const string Desensitisation = DesensitisationPolicy.FileName;

    /// <summary>The policies the host ships: copied beside the binary by the Api project, else the checkout's folder.</summary>
    private static readonly string Shipped = Directory.Exists(Path.Combine(AppContext.BaseDirectory, "policies"))
        ? Path.Combine(AppContext.BaseDirectory, "policies")
        : Path.Combine(RepositoryRoot.Path, "policies");

    private readonly string _folder = Directory.CreateTempSubdirectory("opendata-policies-").FullName;

    public PolicyFileTests()
    {
        foreach (var file in Directory.GetFiles(Shipped, "*.yaml"))
        {
            File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)));
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_shipped_policies_travel_with_the_binary_unchanged()
    {
        Assert.True(Directory.Exists(Path.Combine(AppContext.BaseDirectory, "policies")), "policies/ is not copied to the output");
        foreach (var file in new[] { Classification, Desensitisation })
        {
            Assert.Equal(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "policies", file)), File.ReadAllText(Path.Combine(Shipped, file)));
        }
    }

    [Fact]
    public void The_shipped_desensitisation_policy_has_the_documented_transform_for_every_tag()
    {
        var tags = PlatformPolicies.Load(Shipped).Desensitisation.Tags;

        // DESIGN.md, "desensitisation": tag | open | granted | sandbox.
        Assert.Equal(Mask(1, 0), tags["pii.name"].Open);
        Assert.Equal(TransformSpec.Clear, tags["pii.name"].Granted);
        Assert.Equal(Mask(3, 4), tags["pii.phone"].Open);
        Assert.Equal(TransformSpec.Clear, tags["pii.phone"].Granted);
        Assert.Equal(TransformSpec.Hidden, tags["pii.id_card"].Open);
        Assert.Equal(new TransformSpec(TransformKind.Pseudonymise), tags["pii.id_card"].Granted);
        Assert.Equal(Generalise(GeneraliseTo.District), tags["pii.address"].Open);
        Assert.Equal(TransformSpec.Clear, tags["pii.address"].Granted);
        Assert.Equal(new TransformSpec(TransformKind.Mask) { Email = true }, tags["pii.email"].Open);
        Assert.Equal(TransformSpec.Clear, tags["pii.email"].Granted);
        Assert.Equal(TransformSpec.Hidden, tags["pii.bank_card"].Open);
        Assert.Equal(Mask(0, 4), tags["pii.bank_card"].Granted);
        Assert.Equal(Generalise(GeneraliseTo.Grid) with { Step = 0.01m }, tags["geo.point"].Open);
        Assert.Equal(TransformSpec.Clear, tags["geo.point"].Granted);
        Assert.Equal(Generalise(GeneraliseTo.Year), tags["date.birth"].Open);
        Assert.Equal(Generalise(GeneraliseTo.Month), tags["date.birth"].Granted);

        string[] documented = ["pii.name", "pii.phone", "pii.id_card", "pii.address", "pii.email", "pii.bank_card", "geo.point", "date.birth"];
        Assert.All(documented, tag =>
        {
            Assert.True(tags.ContainsKey(tag), tag);
            Assert.Equal(TransformKind.Synthetic, tags[tag].Sandbox.Kind);
        });
        Assert.True(tags["date.birth"].Types.SetEquals([ColumnType.Date, ColumnType.Datetime, ColumnType.String]));
        Assert.All(documented.Where(t => t != "date.birth"), tag => Assert.Equal([ColumnType.String], tags[tag].Types));
    }

    [Fact]
    public void The_shipped_policy_marks_the_traits_that_single_a_person_out_as_quasi_identifiers()
    {
        var tags = PlatformPolicies.Load(Shipped).Desensitisation.Tags;

        // A name, a phone or an ID number identifies on its own (a direct identifier); the risk measure is about the traits that
        // identify in combination.
        Assert.Equal(["date.birth", "geo.district", "geo.point", "num.age", "person.gender", "pii.address"],
            tags.Values.Where(t => t.QuasiIdentifier).Select(t => t.Tag).Order(StringComparer.Ordinal));
        Assert.Equal(TransformSpec.Clear, tags["geo.district"].Open);
        Assert.Equal(TransformSpec.Clear, tags["person.gender"].Granted);
        Assert.Equal(TransformKind.Synthetic, tags["person.gender"].Sandbox.Kind);
    }

    [Fact]
    public void The_shipped_transforms_give_the_documented_examples()
    {
        var policy = PlatformPolicies.Load(Shipped).Desensitisation;
        string Masked(string tag, string value) => policy.Tags[tag].Open switch
        {
            { Email: true } => Masking.MaskEmail(value),
            var spec => Masking.Mask(value, spec.KeepFirst, spec.KeepLast, spec.Stars),
        };

        Assert.Equal("王**", Masked("pii.name", "王小明"));
        Assert.Equal("王**", Masked("pii.name", "王伟"));
        Assert.Equal("欧**", Masked("pii.name", "欧阳娜娜"));
        Assert.Equal("138****5678", Masked("pii.phone", "13812345678"));
        Assert.Equal("w***@example.org", Masked("pii.email", "wang.wei@example.org"));
        var card = policy.Tags["pii.bank_card"].Granted;
        Assert.Equal("****0123", Masking.Mask("6222021234567890123", card.KeepFirst, card.KeepLast, card.Stars));
        Assert.Equal("****0123", Masking.Mask("6222021234560123", card.KeepFirst, card.KeepLast, card.Stars));
        Assert.Equal("29.86,121.54", Generalisation.Grid("29.8683,121.5440", policy.Tags["geo.point"].Open.Step));
        Assert.Equal("30-39", Generalisation.Band(34L, policy.Tags["num.age"].Open.Step));
    }

    [Fact]
    public void The_shipped_policy_declares_the_person_linkage_domain_and_tokens_take_their_capacity_from_the_transform()
    {
        var policy = PlatformPolicies.Load(Shipped).Desensitisation;
        var person = Assert.Single(policy.Linkage.Values);
        Assert.Equal("person", person.Name);
        Assert.Equal(["pii.id_card"], person.Tags);
        Assert.Same(person, policy.DomainOf("pii.id_card"));
        Assert.Null(policy.DomainOf("pii.name"));
        Assert.Equal(Pseudonymiser.DefaultCapacity, policy.Tags["pii.id_card"].Granted.TokenBytes);

        File.WriteAllText(Path.Combine(_folder, Desensitisation), File.ReadAllText(Path.Combine(Shipped, Desensitisation))
            .Replace("granted: pseudonymise", "granted: {transform: pseudonymise, tokenBytes: 24}", StringComparison.Ordinal));
        Assert.Equal(24, PlatformPolicies.Load(_folder).Desensitisation.Tags["pii.id_card"].Granted.TokenBytes);
    }

    [Fact]
    public void The_shipped_classification_policy_has_the_three_levels()
    {
        var policies = PlatformPolicies.Load(Shipped);
        var levels = policies.Classification.Levels;
        Assert.Equal(3, levels.Count);
        Assert.Equal(("L1", RowsNeed.Nothing), (levels[Level.Open].Code, levels[Level.Open].RowsNeed));
        Assert.Empty(levels[Level.Open].Approvals);
        Assert.Equal(("L2", RowsNeed.Grant), (levels[Level.Restricted].Code, levels[Level.Restricted].RowsNeed));
        Assert.Equal([Approver.Owner], levels[Level.Restricted].Approvals);
        Assert.Equal(("L3", RowsNeed.Grant), (levels[Level.Sensitive].Code, levels[Level.Sensitive].RowsNeed));
        Assert.Equal([Approver.Owner, Approver.Platform], levels[Level.Sensitive].Approvals);
        Assert.Equal(0.3, policies.Desensitisation.SuggestShare);
        Assert.Equal(10_000, policies.Desensitisation.ProfileRows);
    }

    [Fact]
    public void A_copy_of_the_shipped_folder_loads()
    {
        var policies = PlatformPolicies.Load(_folder);
        Assert.Equal(PlatformPolicies.Load(Shipped).Desensitisation.Tags.Keys.Order(), policies.Desensitisation.Tags.Keys.Order());
    }

    /// <summary>A case: which file is replaced, its whole text, and the line and words the complaint must carry.</summary>
    public static TheoryData<string, string, string, int, string> BadPolicies => new()
    {
        {
            "invalid YAML: a key indented less than its siblings", Desensitisation,
            """
            tags:
              pii.name:
                types: [string]
               open: clear
                granted: clear
                sandbox: synthetic
            """,
            4, "not valid YAML"
        },
        {
            "unknown transform", Desensitisation,
            """
            tags:
              pii.name:
                types: [string]
                open: {transform: maks, keepFirst: 1}
                granted: clear
                sandbox: synthetic
            """,
            4, "pii.name.open: unknown transform 'maks'"
        },
        {
            "unknown transform as a bare word", Desensitisation,
            """
            tags:
              pii.name:
                types: [string]
                open: hidden
                granted: cleer
                sandbox: synthetic
            """,
            5, "pii.name.granted: unknown transform 'cleer'"
        },
        {
            "misspelt parameter", Desensitisation,
            """
            tags:
              pii.phone:
                types: [string]
                open: {transform: mask, keepfirst: 3, keepLast: 4}
                granted: clear
                sandbox: synthetic
            """,
            4, "unknown key 'keepfirst'"
        },
        {
            "mask without what to keep", Desensitisation,
            """
            tags:
              pii.phone:
                types: [string]
                open: {transform: mask}
                granted: clear
                sandbox: synthetic
            """,
            4, "mask needs keepFirst and/or keepLast"
        },
        {
            "mask as a bare word", Desensitisation,
            """
            tags:
              pii.phone:
                types: [string]
                open: mask
                granted: clear
                sandbox: synthetic
            """,
            4, "'mask' needs parameters"
        },
        {
            "parameter of another transform", Desensitisation,
            """
            tags:
              pii.phone:
                types: [string]
                open:
                  transform: mask
                  keepFirst: 3
                  width: 10
                granted: clear
                sandbox: synthetic
            """,
            7, "'width' does not apply to mask"
        },
        {
            "keepFirst out of range", Desensitisation,
            """
            tags:
              pii.phone:
                types: [string]
                open:
                  transform: mask
                  keepFirst: 40
                granted: clear
                sandbox: synthetic
            """,
            6, "pii.phone.open.keepFirst must be a whole number from 0 to 32; got '40'"
        },
        {
            "stars out of range", Desensitisation,
            """
            tags:
              pii.phone:
                types: [string]
                open:
                  transform: mask
                  keepFirst: 3
                  stars: 0
                granted: clear
                sandbox: synthetic
            """,
            7, "pii.phone.open.stars must be a whole number from 1 to 32; got '0'"
        },
        {
            "stars on an e-mail mask", Desensitisation,
            """
            tags:
              pii.email:
                types: [string]
                open: {transform: mask, style: email, stars: 5}
                granted: clear
                sandbox: synthetic
            """,
            4, "'stars' does not apply to style: email"
        },
        {
            "band without width", Desensitisation,
            """
            tags:
              num.age:
                types: [integer]
                open:
                  transform: generalise
                  to: band
                granted: clear
                sandbox: synthetic
            """,
            6, "'to: band' needs 'width'"
        },
        {
            "grid without size", Desensitisation,
            """
            tags:
              geo.point:
                types: [string]
                open: clear
                granted: {transform: generalise, to: grid}
                sandbox: synthetic
            """,
            5, "'to: grid' needs 'size'"
        },
        {
            "generalise to an unknown form", Desensitisation,
            """
            tags:
              date.birth:
                types: [date]
                open: {transform: generalise, to: decade}
                granted: clear
                sandbox: synthetic
            """,
            4, "date.birth.open.to: unknown 'decade'"
        },
        {
            "tag without sandbox", Desensitisation,
            """
            tags:
              pii.name:
                types: [string]
                open: {transform: mask, keepFirst: 1}
                granted: clear
            """,
            3, "tag 'pii.name': 'sandbox' is missing"
        },
        {
            "pseudonymise on integers", Desensitisation,
            """
            tags:
              num.member_no:
                types: [integer]
                open: hidden
                granted: pseudonymise
                sandbox: synthetic
            """,
            5, "num.member_no.granted: pseudonymise fits text columns only"
        },
        {
            "year of a number", Desensitisation,
            """
            tags:
              num.age:
                types: [integer]
                open: {transform: generalise, to: year}
                granted: clear
                sandbox: synthetic
            """,
            4, "num.age.open: generalise to year does not fit the tag's types (integer)"
        },
        {
            "quasiIdentifier that is not true or false", Desensitisation,
            """
            tags:
              geo.district:
                types: [string]
                quasiIdentifier: yes
                open: clear
                granted: clear
                sandbox: clear
            """,
            4, "geo.district.quasiIdentifier must be true or false; got 'yes'"
        },
        {
            "unknown column type", Desensitisation,
            """
            tags:
              pii.name:
                types: [text]
                open: hidden
                granted: clear
                sandbox: synthetic
            """,
            3, "pii.name.types: unknown column type 'text'"
        },
        {
            "tag not in dotted lower case", Desensitisation,
            """
            tags:
              pii.name:
                types: [string]
                open: hidden
                granted: clear
                sandbox: synthetic
              PII.Phone:
                types: [string]
                open: hidden
                granted: clear
                sandbox: synthetic
            """,
            7, "tag 'PII.Phone' must be dotted lower-case words"
        },
        {
            "linkage domain naming an unknown tag", Desensitisation,
            """
            tags:
              pii.id_card:
                types: [string]
                open: hidden
                granted: pseudonymise
                sandbox: synthetic
            linkage:
              person:
                description: one resident
                tags: [pii.id_card, pii.idcard]
            """,
            10, "linkage.person.tags: unknown tag 'pii.idcard'"
        },
        {
            "linkage domain with no tags", Desensitisation,
            """
            linkage:
              person:
                tags: []
            tags:
              pii.id_card:
                types: [string]
                open: hidden
                granted: pseudonymise
                sandbox: synthetic
            """,
            3, "linkage.person.tags: name at least one tag"
        },
        {
            "linkage domain without tags", Desensitisation,
            """
            tags:
              pii.id_card:
                types: [string]
                open: hidden
                granted: pseudonymise
                sandbox: synthetic
            linkage:
              person:
                description: one resident
            """,
            9, "linkage domain 'person': 'tags' is missing"
        },
        {
            "linkage of a tag that is not pseudonymised", Desensitisation,
            """
            tags:
              pii.name:
                types: [string]
                open: hidden
                granted: clear
                sandbox: synthetic
            linkage:
              person:
                tags: [pii.name]
            """,
            9, "'pii.name' is not pseudonymised at the granted level"
        },
        {
            "a tag in two linkage domains", Desensitisation,
            """
            tags:
              pii.id_card:
                types: [string]
                open: hidden
                granted: pseudonymise
                sandbox: synthetic
            linkage:
              person:
                tags: [pii.id_card]
              resident:
                tags: [pii.id_card]
            """,
            11, "'pii.id_card' is in linkage domain 'person' already"
        },
        {
            "tokenBytes out of range", Desensitisation,
            """
            tags:
              pii.id_card:
                types: [string]
                open: hidden
                granted: {transform: pseudonymise, tokenBytes: 8}
                sandbox: synthetic
            """,
            5, "pii.id_card.granted.tokenBytes must be a whole number from 16 to 128; got '8'"
        },
        {
            "tokenBytes on a mask", Desensitisation,
            """
            tags:
              pii.phone:
                types: [string]
                open: {transform: mask, keepFirst: 3, tokenBytes: 24}
                granted: clear
                sandbox: synthetic
            """,
            4, "'tokenBytes' does not apply to mask"
        },
        {
            "misspelt top-level key", Desensitisation,
            """
            # a comment first
            tag:
              pii.name:
                types: [string]
            """,
            2, "unknown key 'tag'"
        },
        {
            "no tags", Desensitisation,
            """
            profiling:
              rows: 100
            """,
            1, "'tags' is missing"
        },
        {
            "top level is a list", Desensitisation,
            """
            - pii.name
            - pii.phone
            """,
            1, "expected one YAML document whose top level is a mapping"
        },
        {
            "empty file", Classification, "", 1, "expected one YAML document whose top level is a mapping"
        },
        {
            "classification without sensitive", Classification,
            """
            levels:
              open:
                code: L1
                rowsNeed: nothing
              restricted:
                code: L2
                rowsNeed: grant
                approvals: [owner]
            """,
            1, "levels: 'sensitive' is missing"
        },
        {
            "rowsNeed maybe", Classification,
            """
            levels:
              open:
                code: L1
                rowsNeed: maybe
              restricted:
                code: L2
                rowsNeed: grant
                approvals: [owner]
              sensitive:
                code: L3
                rowsNeed: grant
                approvals: [owner, platform]
            """,
            4, "open.rowsNeed: unknown 'maybe'"
        },
        {
            "approvals starting with platform", Classification,
            """
            levels:
              open:
                code: L1
                rowsNeed: nothing
              restricted:
                code: L2
                rowsNeed: grant
                approvals: [owner]
              sensitive:
                code: L3
                rowsNeed: grant
                approvals: [platform, owner]
            """,
            12, "level 'sensitive': the dataset's owner approves first, so 'approvals' starts with owner"
        },
        {
            "approver named twice", Classification,
            """
            levels:
              open:
                code: L1
                rowsNeed: nothing
              restricted:
                code: L2
                rowsNeed: grant
                approvals:
                  - owner
                  - owner
              sensitive:
                code: L3
                rowsNeed: grant
                approvals: [owner, platform]
            """,
            10, "restricted.approvals: 'owner' is named twice"
        },
        {
            "approvals where rows need no grant", Classification,
            """
            levels:
              open:
                code: L1
                rowsNeed: token
                approvals: [owner]
              restricted:
                code: L2
                rowsNeed: grant
                approvals: [owner]
              sensitive:
                code: L3
                rowsNeed: grant
                approvals: [owner, platform]
            """,
            5, "level 'open': 'approvals' only applies when rowsNeed is grant"
        },
        {
            "grant without approvals", Classification,
            """
            levels:
              open:
                code: L1
                rowsNeed: nothing
              restricted:
                code: L2
                rowsNeed: grant
              sensitive:
                code: L3
                rowsNeed: grant
                approvals: [owner, platform]
            """,
            6, "level 'restricted': rows need a grant, so 'approvals' must name who approves"
        },
        {
            "unknown level", Classification,
            """
            levels:
              open:
                code: L1
                rowsNeed: nothing
              secret:
                code: L4
                rowsNeed: grant
                approvals: [owner]
            """,
            5, "levels: unknown key 'secret'"
        },
    };

    [Theory]
    [MemberData(nameof(BadPolicies))]
    public void A_wrong_policy_names_its_file_line_and_problem(string what, string file, string text, int line, string problem)
    {
        File.WriteAllText(Path.Combine(_folder, file), text);

        var e = Assert.Throws<PolicyException>(() => PlatformPolicies.Load(_folder));

        var at = Path.Combine(_folder, file) + ":" + line + ":";
        Assert.True(e.Message.StartsWith(at, StringComparison.Ordinal), $"{what}: expected {at}…, got {e.Message}");
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Classification)]
    [InlineData(Desensitisation)]
    public void A_missing_file_is_named(string file)
    {
        File.Delete(Path.Combine(_folder, file));

        var e = Assert.Throws<PolicyException>(() => PlatformPolicies.Load(_folder));

        Assert.Equal($"{Path.Combine(_folder, file)}: the policy file is missing; every host needs it (see the shipped policies/ folder)", e.Message);
    }

    [Fact]
    public void A_missing_folder_is_named()
    {
        var missing = Path.Combine(_folder, "nowhere");

        var e = Assert.Throws<PolicyException>(() => PlatformPolicies.Load(missing));

        Assert.StartsWith(missing + ": the policies folder is missing", e.Message, StringComparison.Ordinal);
    }

    private static TransformSpec Mask(int keepFirst, int keepLast) => new(TransformKind.Mask) { KeepFirst = keepFirst, KeepLast = keepLast };

    private static TransformSpec Generalise(GeneraliseTo to) => new(TransformKind.Generalise) { To = to };
}
