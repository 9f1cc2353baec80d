using System.Runtime.InteropServices;
using Jarvis.Benchmarks;

// Exit codes: 0 the benchmark ran (whether or not targets were met), 1 a phase could not run, 2 bad usage, 130 interrupted.
var repoRoot = RepoRoot();
BenchOptions options;
try
{
    options = BenchOptions.Parse(args, repoRoot);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"benchmark: {e.Message}");
    return 2;
}
if (options.RunCluster && Nginx.FindExecutable() is null)
{
    Console.Error.WriteLine("benchmark: nginx is not installed (tests/Benchmarks/run.sh installs it: apt-get install -y nginx); --only single runs without it");
    return 1;
}
if (!OnPath("wrk"))
{
    Console.Error.WriteLine("benchmark: wrk is not installed (tests/Benchmarks/run.sh installs it: apt-get install -y wrk)");
    return 1;
}

using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; interrupted.Cancel(); };
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; interrupted.Cancel(); });
AppDomain.CurrentDomain.ProcessExit += (_, _) => ChildProcesses.StopAll(); // last resort; the finally below is the normal path

var work = Directory.CreateTempSubdirectory("jarvis-bench-");
Console.Error.WriteLine($"benchmark: {(options.Quick ? "quick" : "full")} run{(options.RunSingle && options.RunCluster ? "" : options.RunCluster ? " of the cluster rows" : " of rows 1-7")} on {MachineInfo.Cores} cores; server logs in {work.FullName}");
Report report;
try
{
    report = await new Benchmark(options, work.FullName).RunAsync(interrupted.Token);
}
catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
{
    Console.Error.WriteLine("benchmark: interrupted; every process it started has been stopped");
    return 130;
}
finally
{
    ChildProcesses.StopAll();
}

Console.WriteLine();
Console.WriteLine(report.Markdown());
if (options.ResultsPath is { } path)
{
    // a run of one section (--only) keeps the other one as the file has it
    var existing = File.Exists(path) ? await File.ReadAllTextAsync(path) : null;
    await File.WriteAllTextAsync(path, report.Merge(existing));
    Console.Error.WriteLine($"benchmark: written to {path}");
}
else Console.Error.WriteLine("benchmark: quick run, RESULTS.md left as it was (--results PATH writes the table)");

if (report.AnyPhaseFailed)
{
    Console.Error.WriteLine($"benchmark: some phases could not run; server logs kept in {work.FullName}");
    return 1;
}
work.Delete(recursive: true);
return 0;

static string RepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Jarvis.Actors.sln"))) return dir.FullName;
    return Directory.GetCurrentDirectory();
}

static bool OnPath(string program) =>
    (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, program)));
