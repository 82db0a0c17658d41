using Xunit.Sdk;
using OpenData.Tests.Infrastructure;

namespace OpenData.Tests.Hosting.Fuzz;

/// <summary>Supplies (database, slice) pairs to a <see cref="DatabaseTheoryAttribute"/>: each slice is a fixed seed CI runs every time.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OnEachDatabaseAndSliceAttribute(int slices) : DataAttribute
{
    public override IEnumerable<object[]> GetData(System.Reflection.MethodInfo testMethod) =>
        from db in new[] { Db.Sqlite, Db.Postgres }
        from slice in Enumerable.Range(1, slices)
        select new object[] { db, slice };
}
