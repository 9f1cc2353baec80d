using System.Collections.Concurrent;
using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Jarvis.Api.Tests.Infrastructure;

/// <summary>
/// xunit's own framework, except that a test which fails only because the ARP spec is not on this machine
/// (<see cref="SpecNotFoundException"/>, raised outside CI) is reported as skipped with that reason, and every count
/// above it (test case, method, class, collection, assembly) says so too. Any other failure stays a failure.
/// Where the spec is read is decided at run time (a schema check inside a helper), so a skip decided when tests are
/// discovered could not name those tests.
/// </summary>
public sealed class SpecAwareTestFramework(IMessageSink diagnosticMessageSink) : XunitTestFramework(diagnosticMessageSink)
{
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        protected override void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions) =>
            base.RunTestCases(testCases, new SpecMissingAsSkip(executionMessageSink), executionOptions);
    }

    private sealed class SpecMissingAsSkip(IMessageSink next) : LongLivedMarshalByRefObject, IMessageSink
    {
        private static readonly string SpecMissing = typeof(SpecNotFoundException).FullName!;

        // Failures turned into skips, per test case, method, class and collection object, and for the assembly.
        private readonly ConcurrentDictionary<object, int> _converted = new(ReferenceEqualityComparer.Instance);
        private int _assemblyConverted;

        public bool OnMessage(IMessageSinkMessage message) => next.OnMessage(message switch
        {
            ITestFailed failed when failed.ExceptionTypes.FirstOrDefault() == SpecMissing => Skip(failed),
            ITestCaseFinished f when Converted(f.TestCase) is > 0 and var n =>
                new TestCaseFinished(f.TestCase, f.ExecutionTime, f.TestsRun, f.TestsFailed - n, f.TestsSkipped + n),
            ITestMethodFinished f when Converted(f.TestMethod) is > 0 and var n =>
                new TestMethodFinished(f.TestCases, f.TestMethod, f.ExecutionTime, f.TestsRun, f.TestsFailed - n, f.TestsSkipped + n),
            ITestClassFinished f when Converted(f.TestClass) is > 0 and var n =>
                new TestClassFinished(f.TestCases, f.TestClass, f.ExecutionTime, f.TestsRun, f.TestsFailed - n, f.TestsSkipped + n),
            ITestCollectionFinished f when Converted(f.TestCollection) is > 0 and var n =>
                new TestCollectionFinished(f.TestCases, f.TestCollection, f.ExecutionTime, f.TestsRun, f.TestsFailed - n, f.TestsSkipped + n),
            ITestAssemblyFinished f when Volatile.Read(ref _assemblyConverted) is > 0 and var n =>
                new TestAssemblyFinished(f.TestCases, f.TestAssembly, f.ExecutionTime, f.TestsRun, f.TestsFailed - n, f.TestsSkipped + n),
            _ => message,
        });

        private TestSkipped Skip(ITestFailed failed)
        {
            foreach (var level in new object[] { failed.TestCase, failed.TestMethod, failed.TestClass, failed.TestCollection })
                _converted.AddOrUpdate(level, 1, (_, n) => n + 1);
            Interlocked.Increment(ref _assemblyConverted);
            return new TestSkipped(failed.Test, failed.Messages.FirstOrDefault() ?? "the ARP spec was not found");
        }

        private int Converted(object level) => _converted.TryRemove(level, out var n) ? n : 0;
    }
}
