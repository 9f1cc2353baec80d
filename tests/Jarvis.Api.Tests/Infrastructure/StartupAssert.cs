namespace Jarvis.Api.Tests.Infrastructure;

/// <summary>What a refused start-up looks like from outside: exit code 2 and one stderr line.</summary>
public static class StartupAssert
{
    public static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Waits for the process to exit on its own, asserts exit code 2, empty stdout and a single
    /// <c>jarvis-atomic-executor: ...</c> stderr line without internals; returns that line.</summary>
    public static async Task<string> RefusedAsync(ExecutorProcess process)
    {
        var exitCode = await process.WaitForExitAsync(ExitTimeout);
        Assert.True(exitCode == 2, $"expected exit code 2, got {exitCode}: {process.StandardError}{process.StandardOutput}");
        Assert.Equal("", process.StandardOutput.Trim());
        var lines = process.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"expected one stderr line, got {lines.Length}:\n{process.StandardError}");
        Assert.StartsWith("jarvis-atomic-executor: ", lines[0]);
        HttpAssert.AssertNoInternals(lines[0]);
        return lines[0];
    }
}
