// Chinese first (the bank's language), English on request; numbers and dates in the user's locale.
const MESSAGES = {
  'zh-CN': {
    'app.title': '人才全周期管理控制台', 'app.signout': '退出', 'app.switch': 'English',
    'signin.title': '登录', 'signin.username': '用户名', 'signin.password': '密码', 'signin.submit': '登录',
    'signin.failed': '用户名或密码错误',
    'nav.requisitions': '招聘需求', 'nav.question_bank': '追问题库', 'nav.audit': '审计日志', 'nav.assigned': '我的面试',
    'home.it': 'IT 账号开通看板将随入职功能上线后显示在这里。您的角色目前没有可查看的候选人数据。',
    'home.none': '您的角色没有可用的页面。',
    'forbidden': '您的角色无权访问此页面。', 'loading': '加载中…', 'error': '出错了',
    'req.title': '职位', 'req.department': '部门', 'req.role_family': '岗位族', 'req.headcount': '招聘人数',
    'req.created_at': '创建时间', 'req.scored': '已有AI成绩', 'req.funnel': '招聘漏斗', 'req.applicants': '候选人',
    'funnel.applied': '投递', 'funnel.screened': '初筛通过', 'funnel.interviewed': 'AI面试', 'funnel.shortlisted': '入围复试',
    'funnel.offer': '录用通知', 'funnel.hired': '入职',
    'app.name': '姓名', 'app.stage': '阶段', 'app.screening_score': '简历匹配分', 'app.weighted_score': '加权得分',
    'app.created_at': '投递时间', 'app.all_stages': '全部阶段', 'app.order': '排序', 'order.created': '按投递时间',
    'order.score': '按加权得分（高→低）', 'app.next': '下一页', 'app.first': '第一页', 'app.none': '没有候选人',
    'shortlist.propose': '生成复试名单建议', 'shortlist.confirm': '确认复试名单', 'shortlist.starts_at': '复试时间',
    'shortlist.place': '地点', 'shortlist.rank': '排名', 'shortlist.below_bar': '低于门槛', 'shortlist.eligible': '可入围',
    'shortlist.done': '已确认：{n} 人进入复试名单，已发送 {m} 封邀请',
    'cand.profile': '人才档案', 'cand.education': '学历', 'cand.experience': '工作经历', 'cand.experience_years': '工作年限',
    'cand.department': '部门', 'cand.rank': '排名', 'cand.radar': '能力雷达图', 'cand.strengths': '优势维度',
    'cand.weak': '待提升维度', 'cand.score': 'AI 得分', 'cand.bar': '岗位门槛', 'cand.video': '面试视频',
    'cand.no_video': '暂无面试视频', 'cand.no_ai': '尚无 AI 面试结果', 'cand.evaluations': '复试评价与 AI 对照',
    'cand.no_evaluations': '暂无复试评价', 'cand.human': '面试官评分', 'cand.ai': 'AI 得分', 'cand.gap': '差值',
    'cand.recommendation': '建议', 'cand.evaluator': '评价人', 'cand.transitions': '阶段操作', 'cand.reason': '原因',
    'cand.kit': '复试面试包', 'cand.audit': '审计日志', 'cand.moved': '已移至：{stage}', 'cand.ai_history': 'AI 结果历史',
    'cand.overall': '总分', 'cand.model': '模型版本', 'cand.completed_at': '完成时间', 'cand.dimension': '维度',
    'cand.comment': '评语',
    'kit.print': '打印', 'assigned.hint': '请输入 HR 分配给您的候选人编号：', 'assigned.open': '打开面试包',
    'bank.family': '题库', 'bank.dimension': '维度', 'bank.question': '问题', 'bank.strong': '优秀回答要点',
    'bank.origin': '来源', 'bank.all': '全部维度',
    'audit.subject': '对象', 'audit.load': '查询', 'audit.at': '时间', 'audit.actor': '操作人', 'audit.action': '动作',
    'audit.details': '详情', 'audit.none': '没有记录',
    'stage.applied': '已投递', 'stage.screened': '初筛通过', 'stage.ai_interviewed': 'AI已面试', 'stage.shortlisted': '入围复试',
    'stage.second_interview': '复试中', 'stage.supplementary_assessment': '补充测评', 'stage.evaluated': '已评价',
    'stage.background_check': '背景调查', 'stage.offer': '录用通知', 'stage.offer_signed': '已签约', 'stage.hired': '已入职',
    'stage.rejected': '未通过', 'stage.withdrawn': '已撤回',
    'rec.strong_hire': '强烈推荐', 'rec.hire': '推荐', 'rec.no_hire': '不推荐', 'rec.strong_no_hire': '强烈不推荐',
  },
  en: {
    'app.title': 'Talent lifecycle console', 'app.signout': 'Sign out', 'app.switch': '中文',
    'signin.title': 'Sign in', 'signin.username': 'User name', 'signin.password': 'Password', 'signin.submit': 'Sign in',
    'signin.failed': 'Wrong user name or password',
    'nav.requisitions': 'Requisitions', 'nav.question_bank': 'Question bank', 'nav.audit': 'Audit trail', 'nav.assigned': 'My interviews',
    'home.it': 'The IT provisioning board will appear here once onboarding is live. Your role sees no candidate data.',
    'home.none': 'Your role has no pages.',
    'forbidden': 'Your role may not open this page.', 'loading': 'Loading…', 'error': 'Something went wrong',
    'req.title': 'Title', 'req.department': 'Department', 'req.role_family': 'Role family', 'req.headcount': 'Headcount',
    'req.created_at': 'Created', 'req.scored': 'AI results', 'req.funnel': 'Hiring funnel', 'req.applicants': 'Applicants',
    'funnel.applied': 'Applied', 'funnel.screened': 'Screened', 'funnel.interviewed': 'AI interviewed', 'funnel.shortlisted': 'Shortlisted',
    'funnel.offer': 'Offer', 'funnel.hired': 'Hired',
    'app.name': 'Name', 'app.stage': 'Stage', 'app.screening_score': 'Resume match', 'app.weighted_score': 'Weighted score',
    'app.created_at': 'Applied', 'app.all_stages': 'All stages', 'app.order': 'Order', 'order.created': 'By application date',
    'order.score': 'By weighted score (high → low)', 'app.next': 'Next page', 'app.first': 'First page', 'app.none': 'No applicants',
    'shortlist.propose': 'Propose shortlist', 'shortlist.confirm': 'Confirm shortlist', 'shortlist.starts_at': 'Interview at',
    'shortlist.place': 'Place', 'shortlist.rank': 'Rank', 'shortlist.below_bar': 'Below bar', 'shortlist.eligible': 'Eligible',
    'shortlist.done': 'Confirmed: {n} shortlisted, {m} invitations queued',
    'cand.profile': 'Talent archive', 'cand.education': 'Education', 'cand.experience': 'Experience', 'cand.experience_years': 'Years of experience',
    'cand.department': 'Department', 'cand.rank': 'Rank', 'cand.radar': 'Competency radar', 'cand.strengths': 'Strengths',
    'cand.weak': 'Weak dimensions', 'cand.score': 'AI score', 'cand.bar': 'Requisition bar', 'cand.video': 'Interview video',
    'cand.no_video': 'No interview video yet', 'cand.no_ai': 'No AI interview result yet', 'cand.evaluations': 'Evaluations beside the AI',
    'cand.no_evaluations': 'No evaluations yet', 'cand.human': 'Interviewer', 'cand.ai': 'AI', 'cand.gap': 'Gap',
    'cand.recommendation': 'Recommendation', 'cand.evaluator': 'Evaluator', 'cand.transitions': 'Stage actions', 'cand.reason': 'Reason',
    'cand.kit': 'Interview kit', 'cand.audit': 'Audit trail', 'cand.moved': 'Moved to: {stage}', 'cand.ai_history': 'AI result history',
    'cand.overall': 'Overall', 'cand.model': 'Model version', 'cand.completed_at': 'Completed', 'cand.dimension': 'Dimension',
    'cand.comment': 'Comment',
    'kit.print': 'Print', 'assigned.hint': 'Enter the application id HR assigned to you:', 'assigned.open': 'Open kit',
    'bank.family': 'Bank', 'bank.dimension': 'Dimension', 'bank.question': 'Question', 'bank.strong': 'A strong answer',
    'bank.origin': 'Origin', 'bank.all': 'All dimensions',
    'audit.subject': 'Subject', 'audit.load': 'Show', 'audit.at': 'At', 'audit.actor': 'Actor', 'audit.action': 'Action',
    'audit.details': 'Details', 'audit.none': 'No records',
    'stage.applied': 'Applied', 'stage.screened': 'Screened', 'stage.ai_interviewed': 'AI interviewed', 'stage.shortlisted': 'Shortlisted',
    'stage.second_interview': 'Second interview', 'stage.supplementary_assessment': 'Supplementary assessment', 'stage.evaluated': 'Evaluated',
    'stage.background_check': 'Background check', 'stage.offer': 'Offer', 'stage.offer_signed': 'Offer signed', 'stage.hired': 'Hired',
    'stage.rejected': 'Rejected', 'stage.withdrawn': 'Withdrawn',
    'rec.strong_hire': 'Strong hire', 'rec.hire': 'Hire', 'rec.no_hire': 'No hire', 'rec.strong_no_hire': 'Strong no hire',
  },
};

// Background checks, offers, assessments, evaluations, onboarding, employees, probation, attrition.
Object.assign(MESSAGES['zh-CN'], {
  'nav.onboarding': '入职看板', 'nav.employees': '员工', 'nav.attrition': '流失分析',
  'home.it_board': '您的角色只能查看 IT 开通任务看板（账号、邮箱、系统权限），不能查看任何候选人评估数据。',
  'bgc.title': '背景调查', 'bgc.none': '尚未发起背景调查', 'bgc.ordered': '发起于', 'bgc.overall': '总体可信度',
  'bgc.confidence': '可信度', 'bgc.reasons': '依据', 'bgc.confidence_title': 'AI 维度得分的可信度', 'bgc.no_confidence': '背景调查完成后显示各维度可信度',
  'bgc.consent': '授权书编号', 'bgc.order': '发起背景调查',
  'bgc.status.ordered': '已下单', 'bgc.status.submitted': '调查中', 'bgc.status.completed': '已完成', 'bgc.status.failed': '失败',
  'bgc.outcome.clear': '无异常', 'bgc.outcome.consider': '需关注',
  'bgc.kind.education': '学历', 'bgc.kind.employment': '工作经历', 'bgc.kind.credit': '征信',
  'bgc.review.clear': '复核为无异常', 'bgc.review.consider': '复核为需关注',
  'offer.title': '录用通知', 'offer.none': '暂无录用通知', 'offer.make': '发出录用通知', 'offer.proposed': '建议年薪', 'offer.band': '薪酬区间',
  'offer.grade': '职级', 'offer.salary': '年薪（留空用建议值）', 'offer.start_date': '入职日期', 'offer.expires_on': '有效期至', 'offer.location': '工作地点',
  'offer.chain': '审批链', 'offer.approve': '同意', 'offer.reject': '驳回', 'offer.letter_html': '录用通知书（网页）', 'offer.letter_pdf': '录用通知书（PDF）',
  'offer.source.proposed': '系统建议薪酬', 'offer.source.given': 'HR 指定薪酬',
  'offer.step.department_manager': '部门负责人', 'offer.step.hr_director': 'HR 总监',
  'offer.status.pending_approval': '待审批', 'offer.status.approved': '已审批', 'offer.status.sent': '已发送签署', 'offer.status.signed': '已签署',
  'offer.status.declined': '候选人拒绝', 'offer.status.expired': '已过期', 'offer.status.rejected': '审批驳回',
  'as.title': '补充测评', 'as.none': '暂无补充测评申请', 'as.name': '测评名称', 'as.request': '申请补充测评', 'as.decision': 'HR 决定', 'as.result': '结果',
  'as.approve': '批准', 'as.decline': '拒绝',
  'as.status.requested': '待 HR 决定', 'as.status.approved': '已批准', 'as.status.declined': '已拒绝', 'as.status.completed': '已完成',
  'eval.title': '提交复试评价', 'eval.edit': '修改我的复试评价', 'eval.submit': '提交评价', 'eval.saved': '评价已保存',
  'assigned.title': '分配给我的候选人', 'assigned.none': '暂无分配给您的候选人', 'assigned.at': '分配时间', 'assigned.req': '招聘需求',
  'board.team': '团队', 'board.team.it': 'IT（信息科技部）', 'board.team.admin': '行政', 'board.team.hr': '人力资源',
  'board.status.open': '待处理', 'board.status.in_progress': '处理中', 'board.status.done': '已完成', 'board.status.blocked': '受阻',
  'board.due': '截止', 'board.systems': '系统权限', 'board.empty': '没有任务', 'board.escalated': '已升级',
  'emp.department': '部门', 'emp.load': '查询', 'emp.start_date': '入职日期', 'emp.status': '状态', 'emp.title': '岗位', 'emp.none': '没有员工',
  'emp.status.onboarding': '入职中', 'emp.status.active': '在职', 'emp.status.departed': '已离职',
  'emp.tasks': '入职任务', 'emp.training': '培训计划', 'emp.no_training': '没有低于门槛的维度，无需培训计划', 'emp.courses': '课程', 'emp.reassess_due': '复评日期',
  'prob.title': '试用期目标与进度', 'prob.weighted': '加权完成度', 'prob.elapsed': '时间进度', 'prob.lagging': '进度落后',
  'prob.status.proposed': '建议目标（未保存）', 'prob.status.draft': '草稿', 'prob.status.running': '进行中', 'prob.status.completed': '已结束', 'prob.status.failed': '失败',
  'prob.goal': '目标', 'prob.weight': '权重', 'prob.target': '目标值', 'prob.save': '保存目标', 'prob.confirm': '确认目标并开始试用期', 'prob.months': '期限（月）',
  'prob.decision': '转正决定', 'prob.decide.confirm': '转正', 'prob.decide.extend': '延长试用期', 'prob.decide.not_confirm': '不予转正', 'prob.new_end': '新截止日期',
  'prob.outcome': '结果', 'prob.phase': '阶段', 'prob.saved': '已保存',
  'attr.title': '入职 3 个月流失率', 'attr.rate': '流失率 %', 'attr.hires': '入职人数', 'attr.departures': '流失人数', 'attr.cohort': '入职月份',
  'attr.total': '合计', 'attr.complete': '已满观察期', 'attr.window': '观察窗口（天）', 'attr.since': '起始月份', 'attr.until': '截止月份',
});
Object.assign(MESSAGES.en, {
  'nav.onboarding': 'Onboarding board', 'nav.employees': 'Employees', 'nav.attrition': 'Attrition',
  'home.it_board': 'Your role sees only the IT provisioning board (accounts, mailbox, system permissions), never assessment data.',
  'bgc.title': 'Background checks', 'bgc.none': 'No background check ordered yet', 'bgc.ordered': 'ordered', 'bgc.overall': 'Overall confidence',
  'bgc.confidence': 'Confidence', 'bgc.reasons': 'Reasons', 'bgc.confidence_title': 'Confidence in the AI dimension scores', 'bgc.no_confidence': 'Confidence per dimension appears once a check is completed',
  'bgc.consent': 'Consent reference', 'bgc.order': 'Order a background check',
  'bgc.status.ordered': 'Ordered', 'bgc.status.submitted': 'In progress', 'bgc.status.completed': 'Completed', 'bgc.status.failed': 'Failed',
  'bgc.outcome.clear': 'Clear', 'bgc.outcome.consider': 'Consider',
  'bgc.kind.education': 'Education', 'bgc.kind.employment': 'Employment', 'bgc.kind.credit': 'Credit',
  'bgc.review.clear': 'Review as clear', 'bgc.review.consider': 'Review as consider',
  'offer.title': 'Offer', 'offer.none': 'No offer yet', 'offer.make': 'Make the offer', 'offer.proposed': 'Proposed salary', 'offer.band': 'band',
  'offer.grade': 'Grade', 'offer.salary': 'Annual salary (empty: the proposal)', 'offer.start_date': 'Start date', 'offer.expires_on': 'Expires on', 'offer.location': 'Work location',
  'offer.chain': 'Approval chain', 'offer.approve': 'Approve', 'offer.reject': 'Reject', 'offer.letter_html': 'Offer letter (web)', 'offer.letter_pdf': 'Offer letter (PDF)',
  'offer.source.proposed': 'Proposed salary', 'offer.source.given': 'Salary set by HR',
  'offer.step.department_manager': 'Department manager', 'offer.step.hr_director': 'HR director',
  'offer.status.pending_approval': 'Pending approval', 'offer.status.approved': 'Approved', 'offer.status.sent': 'Sent for signature', 'offer.status.signed': 'Signed',
  'offer.status.declined': 'Declined', 'offer.status.expired': 'Expired', 'offer.status.rejected': 'Rejected',
  'as.title': 'Supplementary assessments', 'as.none': 'No supplementary assessment requested', 'as.name': 'Assessment', 'as.request': 'Request an assessment', 'as.decision': "HR's decision", 'as.result': 'Result',
  'as.approve': 'Approve', 'as.decline': 'Decline',
  'as.status.requested': 'Awaiting HR', 'as.status.approved': 'Approved', 'as.status.declined': 'Declined', 'as.status.completed': 'Completed',
  'eval.title': 'Submit your evaluation', 'eval.edit': 'Change your evaluation', 'eval.submit': 'Submit evaluation', 'eval.saved': 'Evaluation saved',
  'assigned.title': 'Assigned to me', 'assigned.none': 'Nothing assigned to you yet', 'assigned.at': 'Assigned', 'assigned.req': 'Requisition',
  'board.team': 'Team', 'board.team.it': 'IT', 'board.team.admin': 'Administration', 'board.team.hr': 'HR',
  'board.status.open': 'Open', 'board.status.in_progress': 'In progress', 'board.status.done': 'Done', 'board.status.blocked': 'Blocked',
  'board.due': 'Due', 'board.systems': 'System access', 'board.empty': 'No tasks', 'board.escalated': 'Escalated',
  'emp.department': 'Department', 'emp.load': 'Show', 'emp.start_date': 'Start date', 'emp.status': 'Status', 'emp.title': 'Role', 'emp.none': 'No employees',
  'emp.status.onboarding': 'Onboarding', 'emp.status.active': 'Active', 'emp.status.departed': 'Departed',
  'emp.tasks': 'Onboarding tasks', 'emp.training': 'Training plan', 'emp.no_training': 'No dimension below the bar: no training plan needed', 'emp.courses': 'Courses', 'emp.reassess_due': 'Reassessment due',
  'prob.title': 'Probation goals and progress', 'prob.weighted': 'Weighted completion', 'prob.elapsed': 'Time elapsed', 'prob.lagging': 'Lagging',
  'prob.status.proposed': 'Proposed goals (not saved)', 'prob.status.draft': 'Draft', 'prob.status.running': 'Running', 'prob.status.completed': 'Completed', 'prob.status.failed': 'Failed',
  'prob.goal': 'Goal', 'prob.weight': 'Weight', 'prob.target': 'Target', 'prob.save': 'Save goals', 'prob.confirm': 'Confirm goals and start probation', 'prob.months': 'Months',
  'prob.decision': 'Decision', 'prob.decide.confirm': 'Confirm', 'prob.decide.extend': 'Extend', 'prob.decide.not_confirm': 'Do not confirm', 'prob.new_end': 'New end date',
  'prob.outcome': 'Outcome', 'prob.phase': 'Phase', 'prob.saved': 'Saved',
  'attr.title': '3-month attrition', 'attr.rate': 'Attrition %', 'attr.hires': 'Hires', 'attr.departures': 'Departures', 'attr.cohort': 'Start month',
  'attr.total': 'Total', 'attr.complete': 'Window passed', 'attr.window': 'Window (days)', 'attr.since': 'From month', 'attr.until': 'To month',
});

// Performance management, analytics, talent pools, probation progress, interviewer assignment.
Object.assign(MESSAGES['zh-CN'], {
  'nav.performance': '绩效管理', 'nav.analytics': '数据分析', 'nav.talent_pools': '人才库',
  'perf.cycle': '考核周期', 'perf.period': '周期类型', 'perf.period.quarter': '季度', 'perf.period.half': '半年', 'perf.period.year': '年度',
  'perf.dates': '起止日期', 'perf.threshold': '人才库门槛', 'perf.status.open': '进行中', 'perf.status.closed': '已结束', 'perf.no_cycles': '还没有考核周期',
  'perf.open': '开启考核周期', 'perf.start': '开始', 'perf.end': '结束', 'perf.rule': '目标规则：以面试 {pivot} 分为基准，最多计 {max} 分差',
  'perf.people': '员工', 'perf.not_enrolled': '未设定目标', 'perf.record.targets_set': '已设定目标', 'perf.record.scored': '已评分',
  'perf.overall': '综合得分', 'perf.below': '未达标 KPI', 'perf.pools': '人才库推荐', 'perf.enrol': '为所选员工设定目标', 'perf.enrolled': '已为 {n} 人设定目标',
  'perf.employee_page': '员工档案', 'perf.history': '历史绩效', 'perf.met': '达标线 80', 'perf.kpi': 'KPI', 'perf.interview': '面试得分',
  'perf.baseline': '岗位基准目标', 'perf.reason': '说明', 'perf.overridden': '{by} 已调整', 'perf.actual': '实际完成', 'perf.score': '得分',
  'perf.override': '调整目标', 'perf.targets': '绩效目标与结果', 'perf.scoring_note': '得分 0–100：恰好完成目标为 80 分；低于 80 为未达标，达到人才库门槛推荐进入人才库。',
  'perf.save_results': '保存结果并评分', 'perf.no_results': '请至少填写一项实际完成值', 'perf.development': '改进计划（低于目标的 KPI）',
  'perf.action': '改进措施', 'perf.confirm_action': '确认改进措施',
  'an.validity': '面试维度预测效度', 'an.validity_note': '各面试维度得分与本周期绩效的相关系数 r（Pearson），竖线为 95% 置信区间；绿色为显著（区间不含 0）。',
  'an.all_families': '全部岗位族', 'an.pearson': '相关系数 r', 'an.interval': '95% 置信区间', 'an.spearman': 'Spearman ρ', 'an.significant': '显著',
  'an.too_few': '样本不足（每组至少 10 人）', 'an.high_potential': '高潜人才', 'an.hp_note': '面试综合分前 20% 且绩效前 10%；夜间任务推荐进入管理培训生人才库。',
  'an.interview_composite': '面试综合分', 'an.performance': '绩效得分', 'an.no_hp': '本周期没有高潜人才', 'an.no_cycles': '还没有考核周期，无法分析',
  'an.reweighting': '面试权重调整建议', 'an.current_validity': '当前权重效度', 'an.expected_validity': '建议权重效度', 'an.gain': '提升',
  'an.current_weight': '当前权重', 'an.proposed_weight': '建议权重', 'an.approve': '批准新权重', 'an.approved': '已批准：{family} 新建招聘需求将使用新权重（{by}）',
  'an.no_proposal': '没有显著的维度，暂无调整建议', 'an.pool': '人才库', 'an.pool_description': '说明', 'an.proposed': '待审核', 'an.members': '成员',
  'an.no_members': '暂无成员', 'an.member.proposed': '待审核', 'an.member.member': '成员', 'an.member.declined': '未通过', 'an.member.removed': '已移出',
  'an.decision.accept': '接受', 'an.decision.decline': '拒绝', 'an.decision.remove': '移出', 'an.reviewed': 'HR 复核：{decision}',
  'prob.progress': '记录进展', 'prob.amount': '完成数量', 'prob.note': '说明（可选）', 'prob.record': '记录',
  'assign.title': '复试面试官', 'assign.none': '尚未分配面试官', 'assign.usernames': '面试官用户名', 'assign.save': '保存分配', 'assign.saved': '面试官已更新',
});
Object.assign(MESSAGES.en, {
  'nav.performance': 'Performance', 'nav.analytics': 'Analytics', 'nav.talent_pools': 'Talent pools',
  'perf.cycle': 'Cycle', 'perf.period': 'Period', 'perf.period.quarter': 'Quarter', 'perf.period.half': 'Half year', 'perf.period.year': 'Year',
  'perf.dates': 'Dates', 'perf.threshold': 'Talent threshold', 'perf.status.open': 'Open', 'perf.status.closed': 'Closed', 'perf.no_cycles': 'No performance cycle yet',
  'perf.open': 'Open a cycle', 'perf.start': 'Start', 'perf.end': 'End', 'perf.rule': 'target rule: pivot {pivot}, at most {max} interview points',
  'perf.people': 'Employees', 'perf.not_enrolled': 'No targets', 'perf.record.targets_set': 'Targets set', 'perf.record.scored': 'Scored',
  'perf.overall': 'Overall score', 'perf.below': 'KPIs below target', 'perf.pools': 'Talent-pool proposals', 'perf.enrol': 'Set targets for the selected', 'perf.enrolled': 'Targets set for {n}',
  'perf.employee_page': 'Employee', 'perf.history': 'Performance history', 'perf.met': 'target met (80)', 'perf.kpi': 'KPI', 'perf.interview': 'Interview score',
  'perf.baseline': 'Role baseline', 'perf.reason': 'Explanation', 'perf.overridden': 'changed by {by}', 'perf.actual': 'Actual', 'perf.score': 'Score',
  'perf.override': 'Override', 'perf.targets': 'Targets and results', 'perf.scoring_note': 'Scores 0–100: meeting a target exactly scores 80; below 80 is below target; at the talent threshold the employee is proposed for a talent pool.',
  'perf.save_results': 'Save results and score', 'perf.no_results': 'Enter at least one actual value', 'perf.development': 'Development (KPIs below target)',
  'perf.action': 'Action', 'perf.confirm_action': 'Confirm the action',
  'an.validity': 'Predictive validity of interview dimensions', 'an.validity_note': "Correlation r (Pearson) of each interview dimension with this cycle's performance; the whiskers are the 95 % interval; green = significant (the interval excludes 0).",
  'an.all_families': 'All role families', 'an.pearson': 'r', 'an.interval': '95 % interval', 'an.spearman': 'Spearman ρ', 'an.significant': 'Significant',
  'an.too_few': 'Too few pairs (at least 10 per group)', 'an.high_potential': 'High potentials', 'an.hp_note': 'Interview composite in the top 20 % and performance in the top 10 %; the nightly run proposes them for the management-trainee pool.',
  'an.interview_composite': 'Interview composite', 'an.performance': 'Performance', 'an.no_hp': 'No high potentials in this cycle', 'an.no_cycles': 'No performance cycle to analyse yet',
  'an.reweighting': 'Interview re-weighting', 'an.current_validity': 'validity now', 'an.expected_validity': 'with the proposal', 'an.gain': 'gain',
  'an.current_weight': 'Current weight', 'an.proposed_weight': 'Proposed weight', 'an.approve': 'Approve the weights', 'an.approved': 'Approved: new {family} requisitions use these weights ({by})',
  'an.no_proposal': 'No significant dimension: no proposal', 'an.pool': 'Pool', 'an.pool_description': 'About', 'an.proposed': 'Proposed', 'an.members': 'Members',
  'an.no_members': 'No one yet', 'an.member.proposed': 'Proposed', 'an.member.member': 'Member', 'an.member.declined': 'Declined', 'an.member.removed': 'Removed',
  'an.decision.accept': 'Accept', 'an.decision.decline': 'Decline', 'an.decision.remove': 'Remove', 'an.reviewed': 'HR review: {decision}',
  'prob.progress': 'Record progress', 'prob.amount': 'Amount', 'prob.note': 'Note (optional)', 'prob.record': 'Record',
  'assign.title': 'Second-interview interviewers', 'assign.none': 'No interviewer assigned', 'assign.usernames': 'User names', 'assign.save': 'Save', 'assign.saved': 'Interviewers updated',
});

const DIMENSIONS = {
  'zh-CN': { logic: '逻辑思维', expression: '语言表达', customer_orientation: '客户导向', risk_awareness: '风险意识',
    innovation: '创新能力', teamwork: '团队协作', stress_tolerance: '抗压能力', data_analysis: '数据分析' },
  en: { logic: 'Logic', expression: 'Expression', customer_orientation: 'Customer orientation', risk_awareness: 'Risk awareness',
    innovation: 'Innovation', teamwork: 'Teamwork', stress_tolerance: 'Stress tolerance', data_analysis: 'Data analysis' },
};

const FAMILIES = {
  'zh-CN': { customer_manager: '客户经理', risk_manager: '风险经理', teller_operations: '柜员/运营', it_data: '信息科技/数据', general: '通用' },
  en: { customer_manager: 'Customer manager', risk_manager: 'Risk manager', teller_operations: 'Teller / operations', it_data: 'IT / data', general: 'General' },
};

const KEY = 'console.lang';

export function lang() {
  return localStorage.getItem(KEY) === 'en' ? 'en' : 'zh-CN';
}

export function setLang(value) {
  localStorage.setItem(KEY, value);
  document.documentElement.lang = value;
}

export function t(key, vars = {}) {
  const text = MESSAGES[lang()][key] ?? MESSAGES['zh-CN'][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''));
}

export const dimension = (d) => DIMENSIONS[lang()][d] ?? d;
export const family = (f) => FAMILIES[lang()][f] ?? f;
export const stage = (s) => t(`stage.${s}`);

// The user's own locale formats numbers and dates; the UI language only picks the words.
const userLocale = () => navigator.language || lang();

export function num(value, digits = 1) {
  if (value === null || value === undefined) return '–';
  return new Intl.NumberFormat(userLocale(), { maximumFractionDigits: digits }).format(value);
}

export function date(value) {
  if (!value) return '–';
  return new Intl.DateTimeFormat(userLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value));
}
