global using Xunit;
global using Xunit.Abstractions;

// A test that needs the ARP spec where it is not installed is reported as skipped, with how to get it (outside CI only).
[assembly: TestFramework("Jarvis.Api.Tests.Infrastructure.SpecAwareTestFramework", "Jarvis.Cluster.Tests")]
