var app = WebApplication.CreateBuilder(args).Build();
app.Run();

/// <summary>The sample's entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
