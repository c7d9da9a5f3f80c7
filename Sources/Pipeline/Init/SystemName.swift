import Foundation

/// The source system a file comes from, told by its name: `crm_export_20261122.csv` is the CRM's.
enum SystemName {
    /// Words in file names, per system, in the order they are tried: `wechat_forms` is WeChat's
    /// before it is a web form.
    static let words: [(system: String, words: [String])] = [
        ("wechat", ["wechat", "weixin", "wx", "微信", "公众号", "企业微信", "企微"]),
        ("callcenter", ["callcenter", "call", "calls", "cdr", "cdrs", "400", "ivr", "呼叫", "话单", "通话", "来电", "呼叫中心"]),
        ("crm", ["crm", "salesforce", "hubspot", "销售易", "纷享销客", "客户管理"]),
        ("erp", ["erp", "finance", "财务", "kingdee", "金蝶", "用友", "yonyou", "u8", "k3", "sap", "nc"]),
        ("web", ["web", "website", "form", "forms", "官网", "表单", "网站", "landing"]),
    ]

    /// Parts of file names that say how a file was written, not where it comes from.
    static let noise: Set<String> = [
        "utf8", "utf16", "utf", "8", "16", "gbk", "gb18030", "gb2312", "bom", "csv", "tsv", "txt",
        "xlsx", "xls", "json", "jsonl", "xml", "export", "exports", "dump", "data", "semicolon",
        "comma", "tab", "导出", "数据", "new", "final", "copy", "le", "be", "sig",
    ]

    /// A unique system name for `file` and why; `taken` holds the names given so far.
    static func name(for file: String, pushes: Bool, interactions: Bool, taken: Set<String>) -> (name: String, why: String) {
        let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let tokens = Self.tokens(stem)
        var name: String?
        var why = ""
        for token in tokens {
            // Han runs are not split into words: 客户管理导出 holds 客户管理.
            let found = words.lazy.compactMap { entry in
                entry.words.first { $0 == token || (!$0.unicodeScalars.allSatisfy(\.isASCII) && token.contains($0)) }
                    .map { (entry.system, $0) }
            }.first
            if let (system, word) = found {
                name = system
                why = "the file name says '\(word)'"
                break
            }
        }
        if name == nil, pushes {
            (name, why) = ("wechat", "WeChat pushes (MsgType, MsgId)")
        }
        if name == nil, interactions {
            (name, why) = ("callcenter", "a call log")
        }
        let plain = tokens.filter { !noise.contains($0) && !$0.allSatisfy(\.isNumber) }.joined(separator: "_")
        if name == nil {
            name = plain.isEmpty ? "source" : plain
            why = "the file name"
        }
        guard var chosen = name else { return ("source", "the file name") }
        if taken.contains(chosen), !plain.isEmpty, plain != chosen, !taken.contains(plain) {
            why += "; \(chosen) is taken by an earlier file"
            chosen = plain
        }
        var unique = chosen
        var suffix = 2
        while taken.contains(unique) {
            unique = "\(chosen)_\(suffix)"
            suffix += 1
        }
        if unique != chosen { why += "; \(chosen) is taken by an earlier file" }
        return (unique, why)
    }

    /// Lower-case words of a file name: Latin runs, digit runs and Han runs apart.
    static func tokens(_ stem: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var currentClass = 0
        for scalar in stem.lowercased().unicodeScalars {
            let cls: Int
            if scalar.isASCII && scalar.properties.isAlphabetic {
                cls = 1
            } else if scalar.isASCII && scalar.properties.numericType != nil {
                cls = 2
            } else if !scalar.isASCII && scalar.properties.isAlphabetic {
                cls = 3
            } else {
                cls = 0
            }
            if cls != currentClass || cls == 0 {
                if !current.isEmpty { tokens.append(current) }
                current = ""
            }
            currentClass = cls
            if cls != 0 { current.unicodeScalars.append(scalar) }
        }
        if !current.isEmpty { tokens.append(current) }
        // `calls400` is calls + 400; `utf16` stays one word for the noise list.
        var merged: [String] = []
        for token in tokens {
            if let last = merged.last, ["utf", "gb"].contains(last), token.allSatisfy(\.isNumber) {
                merged[merged.count - 1] = last + token
            } else {
                merged.append(token)
            }
        }
        return merged
    }
}
