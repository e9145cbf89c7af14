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
