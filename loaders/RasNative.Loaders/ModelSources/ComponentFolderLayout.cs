namespace RasNative.Loaders.ModelSources;

/// <summary>
/// One component's folder (config.json + weights), serving the component its class is: AutoencoderKL → vae,
/// CLIPTextModel(WithProjection) → text_encoder or text_encoder_2, T5EncoderModel → text_encoder_3, any other
/// class → transformer (the verb checks that it supports it).
/// </summary>
internal sealed class ComponentFolderLayout : IComponentLayout
{
    const string ConfigFileName = "config.json";
    readonly string folder;
    readonly string className;
    readonly PipelineComponent[] serves;

    public ComponentFolderLayout(string folder)
    {
        this.folder = folder;
        var configPath = Path.Combine(folder, ConfigFileName);
        var config = JsonFile.ReadObject(configPath, message => new ModelFolderException(message));
        className = ComponentFolder.RequireClassName(config, configPath);
        serves = className switch
        {
            "AutoencoderKL" => [PipelineComponent.Vae],
            "CLIPTextModel" or "CLIPTextModelWithProjection" or "clip_text_model" => [PipelineComponent.TextEncoder, PipelineComponent.TextEncoder2],
            "T5EncoderModel" or "t5" => [PipelineComponent.TextEncoder3],
            _ => [PipelineComponent.Transformer],
        };
    }

    public static bool Recognise(string path) => File.Exists(Path.Combine(path, ConfigFileName));

    public CheckpointDialect Dialect => CheckpointDialect.DiffusersComponentFolder;

    public IReadOnlyList<string> Ignored => [];

    public bool Has(PipelineComponent kind) => serves.Contains(kind);

    public ModelComponent Get(PipelineComponent kind, GivenConfig? given) =>
        Has(kind) ? ComponentFolder.Load(kind, folder) : throw new ModelFolderException(WhereLooked(kind));

    public string WhereLooked(PipelineComponent kind) =>
        $"{folder}: a single {className} folder has no {kind.SubfolderName()} component (a pipeline folder keeps it in {kind.SubfolderName()}/)";
}
