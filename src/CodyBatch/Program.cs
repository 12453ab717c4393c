using CodyBatch.Commands;

return await CodyBatchCli.InvokeAsync(args);

/// <summary>The entry point, visible to the API tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;
