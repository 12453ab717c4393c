namespace CodyBatch.Core.Templates;

/// <summary>The built-in prompt templates.</summary>
public static class PromptTemplates
{
    /// <summary>Every template, in the order a picker shows them.</summary>
    public static IReadOnlyList<PromptTemplate> All { get; } =
    [
        new(
            "security-fixes",
            "Fix security vulnerabilities",
            "Find exploitable weaknesses and fix the real ones.",
            """
            Review this repository for security vulnerabilities: injection (SQL, command, path traversal, template),
            unsafe deserialization, missing authentication or authorization checks, secrets committed to the code,
            insecure cryptography, and server-side request forgery. Fix each real, exploitable problem with the
            smallest change that closes it, in the repository's style. Do not report style issues or theoretical
            risks. If nothing needs fixing, say what you checked.
            """,
            "pullRequest"),
        new(
            "dependency-upgrade",
            "Upgrade a dependency",
            "Move one library to a new major version and adapt the code.",
            """
            Upgrade <library> to version <version> in this repository: update the dependency declaration and the
            lock file entry if there is one, then change every use of APIs that were removed or changed in that
            version, following the library's migration guide. Keep behaviour the same. If the repository does not
            use <library>, change nothing and say so.
            """,
            "pullRequest"),
        new(
            "add-tests",
            "Add missing tests",
            "Cover the most important untested code with tests in the repository's style.",
            """
            Find the most important code paths in this repository that have no tests (public functions with
            branching logic, error handling, parsing). Add focused tests for them using the test framework and
            conventions the repository already uses, next to the existing tests. Do not change production code
            unless a test reveals a real bug; if it does, fix it and say so.
            """,
            "pullRequest"),
        new(
            "documentation",
            "Improve the documentation",
            "Bring the README and public API docs in line with the code.",
            """
            Make this repository's documentation match its code: the README's description, setup and usage
            instructions, and the doc comments of public functions and types. Fix what is wrong or out of date and
            fill real gaps; keep the existing tone and structure. Do not rewrite documentation that is already
            accurate.
            """,
            "pullRequest"),
    ];
}
