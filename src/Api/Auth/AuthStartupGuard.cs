using Jarvis.Api.Config;

namespace Jarvis.Api.Auth;

/// <summary>Until JWT validation lands, the service refuses to start unless auth is explicitly disabled,
/// so it can never run open by accident. The settings themselves are already read and checked in full.</summary>
internal static class AuthStartupGuard
{
    public static AuthOptions Check(IConfiguration configuration)
    {
        var options = AuthOptions.Load(configuration);
        if (options.Mode != AuthMode.Disabled)
            throw new StartupException(
                "JWT authentication is not available in this build and the service will not run open by default; " +
                "set ARP_AUTH_PROFILE=dev-insecure (or ARP_AUTH_MODE=disabled) to run without authentication");
        return options;
    }
}
