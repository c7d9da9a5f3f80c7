import ArgumentParser
import Health
import Pipeline

extension Language: ExpressibleByArgument {}

/// `--lang`, on the commands whose output people read.
struct LanguageOption: ParsableArguments {
    @Option(
        name: .customLong("lang"),
        help: """
            Language of what people read: zh-CN or en; default: the pipeline's `locale`, else zh-CN. JSON, \
            JSON Lines, Prometheus metrics and exit codes are the same in every language.
            """)
    var language: Language?

    func resolve(_ config: PipelineConfig?) -> Language { language ?? config?.language ?? .default }
}
