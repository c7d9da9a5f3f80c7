import Foundation
import Transform

extension Strings {
    /// `locale: zh-CN`, the default: words as a Chinese sales team says them.
    package static let chinese = Strings(
        language: .zhCN,
        field: { chineseFieldNames[$0] ?? $0.rawValue },
        metric: {
            switch $0 {
            case .completeness: "完整率"
            case .idMatch: "ID匹配率"
            case .syncLag24h: "24h同步滞后率"
            }
        },
        status: chineseStatus,
        statusHeadline: chineseStatus,
        labelled: { "\($0)：" },
        rejectReason: { chineseReasons[$0] },
        rejectLabel: { code in chineseReasons[code].map { "\(code)（\($0)）" } ?? code },
        noSalesGroup: "(未分组)",
        noOwner: "(无负责人)",

        healthTitle: { "crmbridge 数据健康 · \($0) · \($1)" },
        healthLatestBatch: { "最近批次 \($0) · 流水线 \($1) · 数据截至 \($2)" },
        healthNoBatch: "库中还没有批次：ID匹配率和24h同步滞后率需要先运行一次",
        healthStatus: { "状态：\($0)" },
        limit: { "\(chineseStatus($0))线 \($1)" },
        healthCustomers: { "客户 \($0)，完整 \($1)，单元格完整率 \($2)" },
        healthRowsWithoutUpdatedAt: { "无更新时间的行（不计入24h同步滞后率）：\($0)" },
        healthSystemHeader: "  系统         ID匹配      同步滞后   无更新时间     客户数        完整率",
        healthWorstFields: "最差字段：",
        healthRejects: "最近批次的拒收：",

        htmlTitle: { "crmbridge 数据健康 · \($0)" },
        htmlStore: "主数据库",
        htmlHeading: "客户数据健康",
        htmlNoBatchHeadline: { "库中还没有批次 · 客户 \($0) 个" },
        htmlHeadline: { "流水线 \($0) · 最近批次数据截至 \($1) · \($2)" },
        htmlScopeCompleteness: { "当前 \($0) 个客户" },
        htmlScopeBatch: "最近批次的记录",
        htmlNoThresholds: "未设阈值",
        htmlMasterCustomers: "主数据客户",
        htmlCustomersDetail: { "完整 \($0) · 单元格完整率 \($1)" },
        htmlRejectsInBatch: { "最近批次拒收 \($0) 条" },
        htmlTrend: "趋势",
        htmlTrendHint: { "最近 \($0) 个批次" },
        htmlTrendLabel: { "\($0)趋势" },
        htmlNoTrend: "还没有保存的批次指标",
        htmlSystems: "来源系统",
        htmlLatestBatch: "最近批次",
        htmlNoSystems: "最近批次没有来源系统。",
        htmlSystemColumns: ["系统", "ID匹配率", "24h同步滞后率", "接收行数", "无更新时间", "客户数", "完整率"],
        htmlRejects: "拒收原因",
        htmlNoRejects: "最近批次没有拒收。",
        htmlRejectColumns: ["原因", "行数", "全部批次"],
        htmlFields: "字段完整率（从低到高）",
        htmlFieldsHint: "字段已填且有效的客户占比",
        htmlMissing: { "缺 \($0)" },
        htmlOwners: "负责人（得分从低到高）",
        htmlOwnersHint: "完整客户、拒收、缺失补全",
        htmlNoOwners: "还没有客户。",
        htmlOwnerColumns: ["负责人", "得分", "客户数", "完整", "拒收", "未补全", "上次扫描后补全"],
        htmlGapScan: "最近一次缺失扫描",
        htmlGapScanHint: "缺最近联系日期或下次跟进计划的活跃客户",
        htmlNoGapScan: "还没有缺失扫描：运行 <code>crmbridge scan gaps</code> 生成。",
        htmlGapFollowUp: { "上次名单 \($0) 个，已补全 \($1) 个，其中 48 小时内补全 \($2) 个。" },
        htmlGapList: { "\($1) 的名单共 \($0) 个客户。" },
        htmlGapColumns: ["销售组", "客户数"],
        htmlDefinitions: {
            """
            <b>完整率</b>：必填字段全部已填且有效（手机号有效、统一社会信用代码有效、地址解析到区县）的主数据客户占比。\
            <b>ID匹配率</b>：本批次接收的记录中能对应到主数据客户的占比。\
            <b>24h同步滞后率</b>：本批次接收的记录中，更新时间早于装载时间 24 小时以上的占比\
            （无更新时间的记录另计：\($0) 条）。
            """
        },
        htmlGenerated: { "由 crmbridge 于 \($0) 根据 \($1) 生成。" },

        alertTitle: { "crmbridge \($0)：\($1)" },
        anomalyHeadline: "异常",
        anomaly: "异常",
        anomalies: "异常检测",
        anomaliesTitle: "异常检测",
        anomaliesHint: "最新批次与此前各批次中位数相比",
        anomalyHoliday: "节假日，不作判断",
        anomalyLearning: { "学习中，已有 \($0) 批，需 \($1) 批" },
        anomalyNone: { judged, learning in
            "无（\(judged) 项指标在正常区间内" + (learning > 0 ? "，\(learning) 项仍在学习" : "") + "）"
        },
        anomalyFigure: { "\($0) \($1)，通常为 \($2)（\($3)–\($4)）" },
        anomalySeparator: "；",
        anomalyUsually: { "异常：通常为 \($0)" },
        alertLimit: { "（阈值 \($0)）" },
        alertSystem: { "\($0)：ID匹配率 \($1)，24h同步滞后率 \($2)" },
        alertBatch: { "批次 `\($0)` · 数据截至 \($1)" },

        runHeadline: { "批次 \($0) · 流水线 \($1) · 数据截至 \($2)\($3 ? "（试运行：未写入）" : "")" },
        runSkipped: { "跳过 \($0)：批次 \($1) 已装载过（--force 可重新读取）" },
        runFailedFile: { "失败  \($0)：\($1)" },
        runHeader: "  系统         读取     合并  (新增    更新      未变)   待关联      拒收",
        runTotal: "合计",
        runRejectedByReason: "拒收原因：",
        runRefusedDates: "无法识别而留空的日期：",
        runAmbiguousHint: "ambiguous：无法判断日在前还是月在前（21/11/2026）：请在来源上设置 date_order: dmy 或 mdy",
        runEarlierPending: { "本次关联上的以往待关联记录：\($0)" },
        runAccounting: { "核对：读取 \($0) = 合并 \($1) + 待关联 \($2) + 拒收 \($3)（\($4 ? "一致" : "不一致")）" },
        runAlert: { sink, target, delivered, attempts, error in
            "告警 \(sink) \(target)：" + (delivered ? "已送达" : "尝试 \(attempts) 次仍未送达：\(error)")
        },
        runTimings: {
            String(
                format: "耗时：读取文件 %.2f 秒（其中合并 %.2f 秒），关联待关联记录 %.2f 秒，重建索引 %.2f 秒，计算指标 %.2f 秒，提交 %.2f 秒",
                $0, $1, $2, $3, $4, $5)
        },
        runSpeed: { String(format: "%d 行，用时 %.2f 秒（每秒 %.0f 行）", $0, $1, $2) },
        runWait: { String(format: "等待主数据库的锁 %.2f 秒（其间预读并标准化 %d 行）", $0, $1) },

        gapsSheet: "缺失清单",
        gapsSummarySheet: "汇总",
        staleSheet: "久未联系",
        differencesSheet: "不一致",
        customerKey: "客户主键",
        missing: "缺失字段",
        listSeparator: "、",
        mobile: "手机",
        systemID: { "\($0.uppercased())编号" },
        daysSince: "未联系天数",
        fieldColumn: "字段",
        deadline: "补全截止",
        differenceValues: "各系统的值",
        summaryColumns: ["项目", "数值"],
        summaryScannedAt: "扫描时间",
        summaryActive: "活跃客户",
        summaryWithGaps: "有缺失的客户",
        summaryPreviousScan: "上次扫描",
        summaryPreviousListed: "上次名单客户数",
        summaryClosed: "上次扫描后已补全",
        summaryClosedWithin48h: "48小时内补全",
        summaryOverdue: "逾期未补全",
        summaryGroupColumns: ["销售组", "缺失客户数"],
        summaryOwnerColumns: ["负责人", "缺失客户数", "按时补全", "逾期补全", "逾期未补全"],
        gapsLine: { "缺失：\($1) 个活跃客户中 \($0) 个有缺失" },
        gapsFollowUpLine: { "自 \($0) 的扫描以来：\($2) 个中已补全 \($1) 个，其中 48 小时内 \($3) 个" },
        gapsOverdueLine: { "逾期未补全：\($0) 个" },
        staleLine: { "久未联系：\($0) 个活跃客户超过 \($1) 天没有联系" },
        consistencyLine: { sampled, eligible, systems, differ, compared, rate, limit in
            """
            一致性：在 \(systems) 共有的 \(eligible) 个客户中抽查 \(sampled) 个；\
            \(compared) 个字段值中 \(differ) 个不一致（\(rate)，上限 \(limit)）
            """
        },
        noticeOwnerTitle: { "客户资料待补全：\($0)" },
        noticeOwnerBody: { "你负责的 \($0) 个客户缺少必填信息，请在 \($1) 前在 CRM 中补全：" },
        noticeOwnerFollowUp: { "上次名单：按时补全 \($0) 个，逾期补全 \($1) 个，逾期未补全 \($2) 个。" },
        noticeUnmappedTitle: "以下负责人无法@提醒",
        noticeUnmappedBody: "流水线文件的 people 中没有这些负责人的手机号：请组长转告，或在 people 中补上。",
        noticeUnmappedOwner: { "\($0)：\($1) 个客户待补全" },
        noticeCompanyContact: { "\($0)（\($1)）" },
        noticeGap: { "\($0) \($1)：缺\($2)" },
        noticeMore: { "另有 \($0) 个，见缺失清单" },
        noticeSummaryTitle: "客户资料缺失扫描汇总",
        noticeSummaryBody: { "\($1) 个活跃客户中 \($0) 个缺少必填信息，补全截止 \($2)。各销售组：" },
        noticeGroupLine: { "\($0)：\($1) 个" },
        noticeSummaryFollowUp: {
            "自 \($0) 的扫描以来：名单 \($1) 个，已补全 \($2) 个（48 小时内 \($3) 个），逾期未补全 \($4) 个。"
        },
        noticesSent: { "通知：已向 \($1) 个机器人发送 \($0) 条消息" },
        noticeNotDelivered: { "发往 \($0) \($1) 的消息尝试 \($2) 次仍未送达（\($3)）" },
        consistencyTitle: { "多系统数据不一致：\($0)" },
        consistencyBody: { "抽查 \($0) 个客户，\($2) 个字段值中 \($1) 个不一致（\($3)，上限 \($4)）。各字段：" },
        consistencyFieldLine: { "\($0)：\($1) 处不一致" },
        consistencyExamples: "例如：",
        consistencyExample: { "\($0) · \($1)：\($2)" }
    )

    private static let chineseFieldNames: [CanonicalField: String] = [
        .name: "联系人", .phone: "手机", .company: "客户名称", .taxID: "统一社会信用代码", .address: "地址",
        .industry: "行业", .owner: "负责人", .salesGroup: "销售组", .firstTouchChannel: "首次接触渠道",
        .status: "客户状态", .lastContactAt: "最近联系日期", .nextFollowupPlan: "下次跟进计划", .landline: "座机",
        .nextFollowupAt: "下次跟进时间", .createdAt: "创建时间", .notes: "备注",
    ]

    private static let chineseReasons: [String: String] = [
        "empty_row": "空行", "malformed": "格式错误", "bad_encoding": "编码错误", "too_large": "超出大小限制",
        "no_identifier": "手机号和税号都没有", "missing_id": "缺少来源编号", "duplicate": "重复记录", "filtered": "被筛选条件排除",
        "skipped": "合计行等被跳过",
    ]

    private static let chineseStatus: @Sendable (HealthStatus) -> String = {
        switch $0 {
        case .ok: "正常"
        case .warn: "警告"
        case .fail: "失败"
        }
    }
}
