import Transform

/// What a column can be to a pipeline: the source's own id, its update time, a customer field,
/// or a contact field of an interactions source.
package enum ColumnRole: Hashable, Sendable, CustomStringConvertible {
    case id
    case updatedAt
    case field(CanonicalField)
    case contact(ContactField)
    /// The number a call came from: `phone` of an interactions source. Apart from `phone`
    /// because a column named so makes a file a call log.
    case caller

    /// The key a pipeline file names it by.
    package var description: String {
        switch self {
        case .id: "id"
        case .updatedAt: "updated_at"
        case .field(let field): field.rawValue
        case .contact(let field): field.rawValue
        case .caller: "phone"
        }
    }
}

/// How a header (or a form answer's label) matched the dictionary.
package struct HeaderMatch: Sendable, Equatable {
    package enum How: Sendable, Equatable {
        /// The whole name, or one language's half of a bilingual header (`手机 Mobile`).
        case name
        /// A word inside a longer name (`客户手机号` holds 手机).
        case keyword
    }

    package var role: ColumnRole
    package var how: How
    /// The dictionary's word that matched.
    package var word: String
    /// Why a match of this word needs a person's look, when it does (a city is not an address).
    package var caution: String?
}

/// Header names as Chinese and English systems write them, mapped to what the column holds:
/// the one table `crmbridge init` maps columns with. Names are compared folded: lower case,
/// without blanks and punctuation (`Customer No.` is `customerno`, `submittedAt` is
/// `submittedat`), full-width letters as ASCII. A bilingual header (`客户编号 Customer No.`,
/// `Tax ID/税号`) matches when either language's half does.
package enum HeaderDictionary {
    /// Whole names. A name listed under two roles is decided by the source's kind (see
    /// `lookup`); the first role listed wins otherwise.
    static let names: [(role: ColumnRole, names: [String])] = [
        (
            .id,
            [
                "客户编号", "客户编码", "客户代码", "客户ID", "客户号", "客户No", "编号", "编码", "代码", "ID",
                "Customer No", "Customer ID", "Customer Code", "Customer Number", "Cust No", "Cust ID",
                "Account ID", "Account No", "Code", "No", "线索编号", "线索ID", "Lead ID", "Lead No", "记录编号",
                "记录ID", "Record ID", "单号", "工单号", "MsgId", "消息ID", "Message ID", "Call ID", "通话ID",
                "通话编号", "呼叫ID", "话单ID", "话单编号", "CDR ID", "流水号", "Partner ID", "伙伴编号",
                "合作伙伴编号", "渠道商编号", "经销商编号", "Dealer ID", "会员编号", "会员ID", "Member ID",
                "表单编号", "提交编号", "Submission ID", "Response ID", "答卷编号", "Form Entry ID",
            ]
        ),
        (
            .updatedAt,
            [
                "更新时间", "更新日期", "最后更新", "最后更新时间", "最近更新时间", "最后修改", "最后修改时间",
                "最后修改日期", "最近修改时间", "修改时间", "修改日期", "变更时间", "最后变更时间",
                "Updated At", "Updated", "Update Time", "Updated Time", "Update Date", "Last Updated",
                "Last Update", "Last Update Time", "Last Modified", "Last Modified Time", "Last Modified Date",
                "Modified", "Modified At", "Modified Time", "Modified Date", "Modify Time", "Modify Date",
                "Changed At", "Last Changed",
                // A submission or a push is as new as the moment it was sent.
                "提交时间", "提交日期", "推送时间", "留资时间", "填写时间", "报名时间", "Submitted At",
                "Submitted", "Submit Time", "Submit Date", "Submission Time", "CreateTime",
            ]
        ),
        (
            .field(.name),
            [
                "联系人", "联系人姓名", "联系人名称", "姓名", "客户姓名", "名字", "称呼", "您的姓名", "你的姓名",
                "真实姓名", "客户联系人", "对接人", "Contact", "Contact Name", "Contact Person", "Name",
                "Full Name", "Your Name", "Person",
            ]
        ),
        (
            .caller,
            [
                "主叫", "主叫号码", "来电号码", "来电", "客户号码", "Caller", "Caller ID", "Caller Number",
                "Calling Number", "ANI", "From Number",
            ]
        ),
        (
            .field(.phone),
            [
                "手机", "手机号", "手机号码", "移动电话", "联系手机", "联系方式", "联系电话", "电话号码",
                "您的手机", "你的手机", "手机/电话", "Mobile", "Mobile Phone", "Mobile No", "Mobile Number",
                "Cell Phone", "Cellphone", "Cell", "Phone", "Phone Number", "Phone No", "Contact Number",
                "Contact Phone",
            ]
        ),
        (
            .field(.landline),
            [
                "座机", "座机号码", "固话", "固定电话", "办公电话", "公司电话", "单位电话", "电话", "总机",
                "Tel", "Telephone", "Landline", "Office Phone", "Work Phone", "Office Tel",
            ]
        ),
        (
            .field(.company),
            [
                "客户名称", "公司名称", "公司", "公司全称", "单位", "单位名称", "工作单位", "企业名称", "企业",
                "企业全称", "客户全称", "客户", "机构名称", "机构", "商户名称", "开票抬头", "发票抬头",
                "所在公司", "您的公司", "公司/单位", "Company", "Company Name", "Customer Name",
                "Customer", "Corporation", "Organization", "Organisation", "Org", "Account",
                "Account Name", "Business Name", "Firm",
            ]
        ),
        (
            .field(.taxID),
            [
                "统一社会信用代码", "社会信用代码", "信用代码", "统一信用代码", "统一代码", "纳税人识别号",
                "纳税识别号", "纳税人识别码", "税号", "税务登记号", "税务登记证号", "税务登记证", "营业执照号",
                "营业执照注册号", "USCC", "Tax ID", "Tax No", "Tax Number", "Tax Code",
                "Tax Registration No", "Tax Registration Number", "VAT No", "VAT Number", "Credit Code",
                "Unified Social Credit Code", "Social Credit Code", "Business License No", "TIN",
            ]
        ),
        (
            .field(.address),
            [
                "地址", "详细地址", "公司地址", "单位地址", "联系地址", "办公地址", "注册地址", "经营地址",
                "通讯地址", "收货地址", "邮寄地址", "所在地址", "Address", "Addr", "Street Address",
                "Full Address", "Office Address", "Company Address", "Location",
            ]
        ),
        (
            .field(.industry),
            [
                "行业", "所属行业", "行业分类", "行业类别", "行业类型", "所属领域", "Industry", "Sector",
                "Vertical", "Business Type",
            ]
        ),
        (
            .field(.owner),
            [
                "负责人", "客户负责人", "归属销售", "所属销售", "销售", "销售员", "销售人员", "销售代表",
                "销售负责人", "业务员", "业务负责人", "客户经理", "跟进人", "跟进销售", "归属人", "所有人",
                "拥有者", "责任人", "对接销售", "Owner", "Owner Name", "Salesperson", "Sales Rep",
                "Salesman", "Sales", "Account Manager", "Account Owner", "Assigned To", "Assignee", "Rep",
            ]
        ),
        (
            .field(.salesGroup),
            [
                "销售组", "销售团队", "销售小组", "所属团队", "所属部门", "部门", "团队", "小组", "分组",
                "组别", "所属组", "事业部", "大区", "Sales Group", "Sales Team", "Team", "Group",
                "Department", "Dept", "Division",
            ]
        ),
        (
            .field(.firstTouchChannel),
            [
                "首次接触渠道", "首次来源", "来源渠道", "获客渠道", "客户来源", "线索来源", "来源",
                "渠道", "渠道来源", "了解渠道", "推广渠道", "从哪里了解到我们", "您从哪里了解到我们",
                "Lead Source", "Source", "Channel", "First Touch Channel", "First Touch",
                "Acquisition Channel", "Referral",
            ]
        ),
        (
            .field(.status),
            [
                "客户状态", "状态", "阶段", "客户阶段", "跟进状态", "销售阶段", "线索状态", "Status", "Stage",
                "Lead Status", "Customer Status", "Deal Stage", "Lifecycle Stage",
            ]
        ),
        (
            .field(.lastContactAt),
            [
                "最近联系日期", "最近联系时间", "最后联系时间", "最后联系日期", "上次联系时间",
                "上次联系日期", "最近跟进时间", "最近跟进日期", "最后跟进时间", "上次跟进时间",
                "最近沟通时间", "Last Contact", "Last Contact At", "Last Contacted",
                "Last Contact Date", "Last Contact Time", "Last Activity", "Last Activity Date",
                "Last Followup", "Last Follow Up",
            ]
        ),
        (
            .field(.nextFollowupPlan),
            [
                "下次跟进计划", "跟进计划", "下一步计划", "下一步", "下次计划", "下次跟进内容",
                "后续计划", "跟进事项", "Next Step", "Next Steps", "Next Followup Plan",
                "Followup Plan", "Follow Up Plan", "Next Action", "Plan",
            ]
        ),
        (
            .field(.nextFollowupAt),
            [
                "下次跟进日期", "下次跟进时间", "下次联系时间", "下次联系日期", "计划跟进时间",
                "计划联系时间", "回访日期", "回访时间", "Next Followup", "Next Followup At",
                "Next Followup Date", "Next Follow Up", "Followup Date", "Follow Up Date",
                "Next Contact", "Next Contact Date",
            ]
        ),
        (
            .field(.createdAt),
            [
                "创建时间", "创建日期", "录入时间", "录入日期", "建档时间", "建档日期", "新建时间", "注册时间",
                "注册日期", "开户日期", "开户时间", "首次录入", "Created", "Created At", "Create Date",
                "Created Time", "Created Date", "Creation Date", "Creation Time", "Date Added",
                "Added At", "Registered At", "Signup Date",
            ]
        ),
        (
            .field(.notes),
            [
                "备注", "备注信息", "说明", "留言", "需求", "客户需求", "咨询内容", "描述", "详情", "附言",
                "补充说明", "Message", "Remark", "Remarks", "Notes", "Note", "Comment", "Comments",
                "Description", "Memo", "Requirement", "Requirements", "Inquiry",
            ]
        ),
        (
            .contact(.called),
            [
                "被叫", "被叫号码", "热线号码", "接入号", "Called", "Called Number", "Called ID", "DNIS",
                "To Number", "Dialed Number", "Hotline",
            ]
        ),
        (
            .contact(.startedAt),
            [
                "开始时间", "通话开始时间", "呼叫开始时间", "来电时间", "呼叫时间", "通话时间", "拨打时间",
                "接通时间", "Start Time", "Start", "Started At", "Start At", "Call Time", "Call Start",
                "Begin Time", "Start Date Time",
            ]
        ),
        (
            .contact(.durationSeconds),
            [
                "通话时长", "时长", "通话时长秒", "时长秒", "通话秒数", "Duration", "Duration S",
                "Duration Sec", "Duration Seconds", "Billsec", "Talk Time", "Call Duration",
            ]
        ),
        (
            .contact(.agent),
            [
                "坐席", "坐席工号", "坐席号", "坐席ID", "客服", "客服工号", "工号", "接听人", "接线员",
                "Agent", "Agent ID", "Agent Name", "Agent No", "Operator",
            ]
        ),
        (
            .contact(.outcome),
            [
                "结果", "通话结果", "呼叫结果", "处理结果", "通话状态", "呼叫状态", "接通状态",
                "Disposition", "Result", "Outcome", "Call Result", "Call Status",
            ]
        ),
    ]

    /// Names that hold part of an address at most: mapped to `address`, with a caution.
    static let partialAddress = [
        "城市", "所在城市", "地区", "所在地区", "所在地", "省市", "省市区", "区域", "City",
        "Region", "Area", "Province",
    ]

    /// Words inside longer headers: Chinese ones as substrings, English ones as whole words
    /// (`id` is a word of `customer_id`, not of `paid`). Tried after the names, in this order.
    static let keywords: [(role: ColumnRole, words: [String])] = [
        (.updatedAt, ["更新", "修改", "updated", "modified"]),
        (.field(.createdAt), ["创建", "录入", "created"]),
        (.field(.lastContactAt), ["最近联系", "最后联系", "上次联系", "最近跟进", "上次跟进"]),
        (.field(.nextFollowupAt), ["下次跟进日期", "下次跟进时间", "下次联系"]),
        (.field(.nextFollowupPlan), ["计划", "下一步"]),
        (.field(.taxID), ["信用代码", "税号", "纳税人", "税务登记", "uscc", "tax"]),
        (.caller, ["主叫", "caller"]),
        (.field(.phone), ["手机", "mobile", "cell"]),
        (.field(.landline), ["座机", "固话", "电话", "tel", "telephone", "phone"]),
        (.field(.address), ["地址", "address"]),
        (.field(.company), ["公司", "单位", "企业", "company"]),
        (.field(.name), ["联系人", "姓名", "contact"]),
        (.field(.industry), ["行业", "industry"]),
        (.field(.owner), ["负责人", "业务员", "销售员", "客户经理", "owner"]),
        (.field(.salesGroup), ["销售组", "团队", "部门", "team"]),
        (.field(.firstTouchChannel), ["渠道", "来源", "source", "channel"]),
        (.field(.status), ["状态", "阶段", "status", "stage"]),
        (.field(.notes), ["备注", "留言", "说明", "需求", "remark", "note", "comment", "message"]),
        (.contact(.durationSeconds), ["时长", "duration"]),
        (.contact(.startedAt), ["开始时间", "start"]),
        (.contact(.agent), ["坐席", "客服", "agent"]),
        (.contact(.called), ["被叫", "called"]),
        (.id, ["编号", "编码", "id", "code", "no"]),
    ]

    private static let table: [String: ColumnRole] = {
        var table: [String: ColumnRole] = [:]
        for (role, names) in names {
            for name in names where table[fold(name)] == nil { table[fold(name)] = role }
        }
        for name in partialAddress { table[fold(name)] = .field(.address) }
        return table
    }()

    private static let partialAddressNames = Set(partialAddress.map(fold))

    /// The role a header names, if the dictionary knows it. `interactions`: the header is a
    /// call log's (`状态` is the call's outcome there, `渠道` its channel, `负责人` its agent);
    /// `label`: a form answer's label, where `电话` asks for the person's phone, not a landline.
    package static func lookup(_ header: String, interactions: Bool = false, label: Bool = false) -> HeaderMatch? {
        guard var match = match(header) else { return nil }
        if label, match.role == .field(.landline), ["电话", "tel", "telephone"].contains(match.word.lowercased()) {
            match.role = .field(.phone)
        }
        if interactions {
            switch match.role {
            case .field(.status): match.role = .contact(.outcome)
            case .field(.firstTouchChannel): match.role = .contact(.channel)
            case .field(.owner): match.role = .contact(.agent)
            case .field(.phone): match.role = .caller
            default: break
            }
        }
        return match
    }

    private static func match(_ header: String) -> HeaderMatch? {
        let whole = fold(header)
        guard !whole.isEmpty else { return nil }
        for part in [whole] + halves(of: header) {
            if let role = table[part] {
                let caution =
                    partialAddressNames.contains(part)
                    ? "a city or region alone: it resolves the province and city at most" : nil
                return HeaderMatch(role: role, how: .name, word: part, caution: caution)
            }
        }
        let words = englishWords(header)
        for (role, keywords) in keywords {
            for keyword in keywords {
                let isEnglish = keyword.unicodeScalars.allSatisfy(\.isASCII)
                if isEnglish ? words.contains(keyword) : whole.contains(keyword) {
                    return HeaderMatch(role: role, how: .keyword, word: keyword)
                }
            }
        }
        return nil
    }

    /// Lower case, without blanks and punctuation, full-width ASCII as ASCII.
    static func fold(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars {
            var value = scalar.value
            if (0xFF01...0xFF5E).contains(value) { value -= 0xFEE0 }  // full-width ASCII
            guard let folded = Unicode.Scalar(value) else { continue }
            if folded.properties.isAlphabetic || folded.properties.numericType != nil {
                out.unicodeScalars.append(contentsOf: String(folded).lowercased().unicodeScalars)
            }
        }
        return out
    }

    /// The Chinese and the Latin halves of a bilingual header, folded: `客户编号 Customer No.` →
    /// [客户编号, customerno]; `Tax ID/税号` → [taxid, 税号].
    static func halves(of header: String) -> [String] {
        var halves: [String] = []
        var current = ""
        var currentIsHan: Bool?
        for scalar in header.unicodeScalars {
            let folded = fold(String(scalar))
            guard !folded.isEmpty else { continue }
            let isHan = !scalar.isASCII && !(0xFF01...0xFF5E).contains(scalar.value)
            if let currentIsHan, currentIsHan != isHan {
                halves.append(current)
                current = ""
            }
            current += folded
            currentIsHan = isHan
        }
        if !current.isEmpty { halves.append(current) }
        return halves.count > 1 ? halves : []
    }

    /// The English words of a header, lower case: `customer_id` → customer, id; `submittedAt` →
    /// submitted, at; `Caller ID` → caller, id.
    static func englishWords(_ header: String) -> Set<String> {
        var words = Set<String>()
        var word = ""
        var previousLower = false
        for character in header {
            guard character.isASCII, character.isLetter else {
                if !word.isEmpty { words.insert(word.lowercased()) }
                word = ""
                previousLower = false
                continue
            }
            if character.isUppercase && previousLower {
                words.insert(word.lowercased())
                word = ""
            }
            word.append(character)
            previousLower = character.isLowercase
        }
        if !word.isEmpty { words.insert(word.lowercased()) }
        return words
    }
}
