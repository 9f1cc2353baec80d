namespace Jarvis.Api.Config;

/// <summary>Until JWT authentication lands, the service refuses to start unless auth is explicitly disabled,
/// so it can never run open by accident.</summary>
internal static class AuthStartupGuard
{
    private static readonly string[] KnownProfiles =
        ["dev-insecure", "dev", "dev-secure-keycloak", "dev-secure", "keycloak", "enterprise", "prod", "production"];

    private static readonly string[] KnownModes = ["required", "optional", "disabled"];

    public static void Check(IConfiguration configuration)
    {
        var read = new ConfigReader(configuration);
        var profile = read.Text("ARP_AUTH_PROFILE")?.ToLowerInvariant();
        var mode = read.Text("ARP_AUTH_MODE")?.ToLowerInvariant();
        if (profile is not null && !KnownProfiles.Contains(profile))
            throw new StartupException($"ARP_AUTH_PROFILE={profile} is not valid: expected one of {string.Join(", ", KnownProfiles)}");
        if (mode is not null && !KnownModes.Contains(mode))
            throw new StartupException($"ARP_AUTH_MODE={mode} is not valid: expected one of {string.Join(", ", KnownModes)}");
        var disabled = mode == "disabled" || (mode is null && profile is "dev-insecure" or "dev");
        if (!disabled)
            throw new StartupException(
                "JWT authentication is not available in this build and the service will not run open by default; " +
                "set ARP_AUTH_PROFILE=dev-insecure (or ARP_AUTH_MODE=disabled) to run without authentication");
    }
}
