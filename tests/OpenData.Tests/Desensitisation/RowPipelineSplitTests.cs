using OpenData.Platform.Datasets;
using OpenData.Platform.Desensitisation;

namespace OpenData.Tests.Desensitisation;

/// <summary>A number split across two neighbouring cells of one row is masked when both cells pass the outbound check, and only then.</summary>
public class RowPipelineSplitTests
{
    private static RowPipeline Pipeline(params ColumnRule[] rules)
    {
        var columns = rules.Select((_, i) => new ColumnDefinition(i, $"c{i}", ColumnType.String, $"c{i}", null, null)).ToList();
        return new RowPipeline(columns, rules, null, null);
    }

    [Theory]
    [InlineData("电话 138 1234", "5678 张三")]
    [InlineData("身份证 330203 19800101", "1234")]
    [InlineData("卡号 6222 0212 3456", "7890 123")]
    public void A_number_split_across_two_scanned_cells_is_masked_in_both(string left, string right)
    {
        using var pipeline = Pipeline(ColumnRule.ClearScanned, ColumnRule.ClearScanned);
        object?[] cells = [left, right];
        pipeline.Apply(cells);
        Assert.Contains("****", (string)cells[0]!, StringComparison.Ordinal);
        Assert.StartsWith("****", (string)cells[1]!, StringComparison.Ordinal);
        Assert.Single(pipeline.Leaks);
        Assert.Equal("c0", pipeline.Leaks[0].Column);
    }

    [Fact]
    public void Cells_clear_by_right_or_holding_no_number_together_stay_as_they_are()
    {
        using (var pipeline = Pipeline(ColumnRule.ClearByRight, ColumnRule.ClearScanned))
        {
            object?[] cells = ["138 1234", "5678"];
            pipeline.Apply(cells);
            Assert.Equal(["138 1234", "5678"], cells);
        }
        using (var pipeline = Pipeline(ColumnRule.ClearScanned, ColumnRule.ClearScanned, ColumnRule.ClearScanned, ColumnRule.ClearScanned))
        {
            object?[] cells = ["NB2026010100001", "2026-01-01T08:00:00Z", "宁波市海曙区", "12"];
            pipeline.Apply(cells);
            Assert.Equal(["NB2026010100001", "2026-01-01T08:00:00Z", "宁波市海曙区", "12"], cells);
            Assert.Empty(pipeline.Leaks);
        }
    }
}
