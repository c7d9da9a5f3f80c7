import Pipeline

extension FuzzTarget {
    /// A secret the environment holds for `${CRMBRIDGE_KEY_SECRET}` and `${DINGTALK_SECRET}`:
    /// no message about a pipeline file may show it, whatever the file does with it.
    static let pipelineSecret = "fz-SECRET-7f3a9c"

    /// PipelineLoader.parse on the input as a pipeline file (YAML, schema, `${VAR}`
    /// interpolation). It returns a configuration or throws a ConfigError with at least one
    /// issue, each placed at a line and column and none quoting a secret.
    static let pipeline = FuzzTarget(name: "pipeline", summary: "PipelineLoader.parse (YAML, schema, ${VAR})") { input in
        let environment = [
            "CRMBRIDGE_KEY_SECRET": pipelineSecret,
            "DINGTALK_SECRET": pipelineSecret,
            "DINGTALK_WEBHOOK": "https://oapi.dingtalk.com/robot/send?access_token=\(pipelineSecret)",
            "HOME": "/nonexistent",
        ]
        do throws(ConfigError) {
            _ = try PipelineLoader.parse(text(input), file: "/nonexistent/fuzz.yml", environment: environment)
        } catch {
            require(!error.issues.isEmpty, "a ConfigError without an issue")
            for issue in error.issues {
                require(issue.line >= 0 && issue.column >= 0, "issue at \(issue.line):\(issue.column)")
                require(!issue.message.isEmpty, "an issue without a message at \(issue.line):\(issue.column)")
                require(!issue.message.contains(pipelineSecret), "an issue shows the secret: \(issue.message)")
            }
        }
    }
}
