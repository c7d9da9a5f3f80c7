extension Duration {
    /// The duration in seconds, for timings a person reads (`RunSummary.timings`).
    package var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
