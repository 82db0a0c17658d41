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

    /// <summary>
    /// The pipeline remembers the last clean text of each column and pair of columns; the attack is a value that repeats, or a
    /// clean value followed by the same one beside a new neighbour: every row must still be scanned, masked and counted.
    /// </summary>
    [Fact]
    public void A_value_that_repeats_row_after_row_is_masked_and_counted_in_every_row()
    {
        using var pipeline = Pipeline(ColumnRule.ClearScanned, ColumnRule.ClearScanned, ColumnRule.ClearScanned);
        for (var row = 0; row < 3; row++)
        {
            // A fresh string each row with the same text, as a data reader returns them.
            object?[] cells = [string.Concat("电话 ", "13812345678"), "宁波市", "12"];
            pipeline.Apply(cells);
            Assert.Equal("电话 138****5678", cells[0]);
        }
        Assert.Equal(3, Assert.Single(pipeline.Leaks).Count);
    }

    [Fact]
    public void A_clean_pair_remembered_does_not_hide_a_split_number_when_one_side_changes()
    {
        using var pipeline = Pipeline(ColumnRule.ClearScanned, ColumnRule.ClearScanned);
        string[][] rows =
        [
            ["订单 138 1234", "56 件"],
            ["订单 138 1234", "56 件"],
            ["电话 138 1234", "5678"],
            ["电话 138 1234", "5678"],
            ["订单 138 1234", "56 件"],
        ];
        var masked = 0;
        foreach (var row in rows)
        {
            object?[] cells = [.. row];
            pipeline.Apply(cells);
            if (((string)cells[1]!).StartsWith("****", StringComparison.Ordinal))
            {
                masked++;
                Assert.Contains("****", (string)cells[0]!, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(row, cells);
            }
        }
        Assert.Equal(2, masked);
        Assert.Equal(2, Assert.Single(pipeline.Leaks).Count);
    }

    [Fact]
    public void The_same_clean_text_in_another_column_is_scanned_there_as_well()
    {
        // Column 0 has seen "138 1234" clean on its own; in column 1, beside "5678" in column 2, it is half of a mobile.
        using var pipeline = Pipeline(ColumnRule.ClearScanned, ColumnRule.ClearScanned, ColumnRule.ClearScanned);
        object?[] first = ["138 1234", "备注", "无"];
        pipeline.Apply(first);
        Assert.Equal(["138 1234", "备注", "无"], first);
        object?[] second = ["备注", "138 1234", "5678"];
        pipeline.Apply(second);
        Assert.StartsWith("****", (string)second[2]!, StringComparison.Ordinal);
        Assert.Single(pipeline.Leaks);
    }

    [Fact]
    public void A_split_number_that_repeats_is_masked_and_counted_in_every_row()
    {
        using var pipeline = Pipeline(ColumnRule.ClearScanned, ColumnRule.ClearScanned, ColumnRule.ClearScanned);
        for (var row = 0; row < 4; row++)
        {
            object?[] cells = [string.Concat("电话 138 ", "1234"), "5678", "宁波"];
            pipeline.Apply(cells);
            Assert.Contains("****", (string)cells[0]!, StringComparison.Ordinal);
            Assert.StartsWith("****", (string)cells[1]!, StringComparison.Ordinal);
            Assert.Equal("宁波", cells[2]);
        }
        Assert.Equal(4, Assert.Single(pipeline.Leaks).Count);
    }
}
