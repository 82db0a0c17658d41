using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace OpenData.Tests.Contract;

/// <summary>
/// The README's executable examples: fenced blocks marked <c>console</c>. In such a block a line starting with <c>$ </c> is a
/// command (continued on the next line while it ends with <c>\</c>); the lines under it, up to the next command, are what it
/// must print — exactly, except that <c>…</c> stands for any text within a line and a line of only <c>…</c> for any number of
/// lines; a command with no lines under it must print nothing. Every command of a document runs in one bash session, in order
/// (variables carry over), with the README's address <c>http://127.0.0.1:5080</c> replaced by the test host's.
/// </summary>
internal static partial class ReadmeExamples
{
    public const string DocumentedAddress = "http://127.0.0.1:5080";

    public sealed record Example(int Line, string Command, IReadOnlyList<string> Expected);

    public sealed record Mismatch(Example Example, string Actual)
    {
        public override string ToString() =>
            $"README line {Example.Line}: $ {Example.Command}\n--- shown:\n{string.Join('\n', Example.Expected)}\n--- printed:\n{Actual}";
    }

    public static IReadOnlyList<Example> Parse(string markdown)
    {
        var examples = new List<Example>();
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var inConsole = false;
        var inOtherFence = false;
        StringBuilder? command = null;
        var commandLine = 0;
        List<string>? expected = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (!inConsole && !inOtherFence)
            {
                if (line.TrimEnd() == "```console")
                {
                    inConsole = true;
                }
                else if (line.StartsWith("```", StringComparison.Ordinal))
                {
                    inOtherFence = true;
                }
                continue;
            }
            if (inOtherFence)
            {
                inOtherFence = !line.StartsWith("```", StringComparison.Ordinal);
                continue;
            }
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                Flush();
                inConsole = false;
                continue;
            }
            if (command is not null && expected!.Count == 0 && command.ToString().EndsWith('\\'))
            {
                command.Append('\n').Append(line);
                continue;
            }
            if (line.StartsWith("$ ", StringComparison.Ordinal))
            {
                Flush();
                command = new StringBuilder(line[2..]);
                commandLine = i + 1;
                expected = [];
                continue;
            }
            if (command is null)
            {
                throw new FormatException($"README line {i + 1}: a console block starts with a command line ($ …), not with output");
            }
            expected!.Add(line);
        }
        if (inConsole)
        {
            throw new FormatException("README: a console block is not closed");
        }
        return examples;

        void Flush()
        {
            if (command is not null)
            {
                examples.Add(new Example(commandLine, command.ToString(), expected!));
            }
            command = null;
        }
    }

    /// <summary>Runs every example in one bash session against <paramref name="baseAddress"/>; returns those whose output differs.</summary>
    public static async Task<IReadOnlyList<Mismatch>> RunAsync(IReadOnlyList<Example> examples, Uri baseAddress)
    {
        var address = baseAddress.GetLeftPart(UriPartial.Authority);
        var script = new StringBuilder("cd \"$(mktemp -d)\"\n");
        for (var i = 0; i < examples.Count; i++)
        {
            script.Append(CultureInfo.InvariantCulture, $"printf '\\n\\036{i}\\036\\n'\n");
            script.Append(examples[i].Command.Replace(DocumentedAddress, address, StringComparison.Ordinal)).Append(" 2>&1\n");
        }
        script.Append(CultureInfo.InvariantCulture, $"printf '\\n\\036{examples.Count}\\036\\n'\n");
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--noprofile");
        start.ArgumentList.Add("--norc");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(script.ToString());
        process.StandardInput.Close();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(5)).Token);
        var text = (await output).Replace("\r\n", "\n", StringComparison.Ordinal);
        var mismatches = new List<Mismatch>();
        for (var i = 0; i < examples.Count; i++)
        {
            var from = text.IndexOf($"\n\u001e{i}\u001e\n", StringComparison.Ordinal);
            var to = text.IndexOf($"\n\u001e{i + 1}\u001e\n", StringComparison.Ordinal);
            Assert.True(from >= 0 && to >= from, $"the examples' session ended early at README line {examples[i].Line}: {await error}");
            var printed = text[(from + $"\n\u001e{i}\u001e\n".Length)..to].Replace(address, DocumentedAddress, StringComparison.Ordinal);
            if (!Matches(examples[i].Expected, printed))
            {
                mismatches.Add(new Mismatch(examples[i], printed));
            }
        }
        return mismatches;
    }

    public static bool Matches(IReadOnlyList<string> expected, string printed)
    {
        var actual = printed.Length == 0 ? [] : printed.TrimEnd('\n').Split('\n');
        return Match(0, 0);

        bool Match(int e, int a)
        {
            if (e == expected.Count)
            {
                return a == actual.Length;
            }
            if (expected[e] == "…")
            {
                for (var skip = a; skip <= actual.Length; skip++)
                {
                    if (Match(e + 1, skip))
                    {
                        return true;
                    }
                }
                return false;
            }
            return a < actual.Length && LineMatches(expected[e], actual[a]) && Match(e + 1, a + 1);
        }
    }

    private static bool LineMatches(string expected, string actual) =>
        expected.Contains('…', StringComparison.Ordinal)
            ? Regex.IsMatch(actual, "^" + string.Join(".*?", expected.Split('…').Select(Regex.Escape)) + "$", RegexOptions.Singleline, TimeSpan.FromSeconds(5))
            : expected == actual;
}
