import type { CaseStatus, DepartmentKind, MemberStatus, SlaClass, StationKind } from '@mashangjian/shared'

/**
 * The demo county: enough people, places and cases in every state to click through each screen.
 * Plain data; seed-demo.ts turns it into rows. Names are invented.
 */
export const DEMO_PASSWORD = 'demo12345'

export const DEMO_CITY = { name: '示范市政协', shortCode: 'DEMOC' }
export const DEMO_COUNTY = { name: '示范县政协', shortCode: 'DEMO' }

export const DEMO_SECTORS = ['中国共产党', '经济界', '农业和农村界', '教育界', '医药卫生界'] as const
type Sector = (typeof DEMO_SECTORS)[number]

/** 职能部门 the demo county hands matters to (交办, issue 14); contacts are left for the admin to fill in. */
export const DEMO_DEPARTMENTS: { name: string; kind: DepartmentKind; contactName: string }[] = [
  { name: '县自然资源局', kind: 'bureau', contactName: '办公室' },
  { name: '县医疗保障局', kind: 'bureau', contactName: '办公室' },
  { name: '东城街道办事处', kind: 'street_office', contactName: '党政办' },
  { name: '县自来水公司', kind: 'public_service', contactName: '客服中心' },
]

export const DEMO_STATIONS: { key: string; kind: StationKind; name: string; address: string; openHours: string }[] = [
  {
    key: 'dongcheng',
    kind: 'workstation',
    name: '东城街道委员工作站',
    address: '示范县东城街道人民路12号',
    openHours: '周一至周五 9:00–17:00，每月第二、四周四为委员接待日',
  },
  { key: 'nanguan', kind: 'studio', name: '南关社区委员工作室', address: '示范县南关社区服务中心二楼', openHours: '周二、周四 14:30–17:30' },
  { key: 'shouyang', kind: 'liaison_office', name: '首阳镇委员联络室', address: '示范县首阳镇政府院内', openHours: '每月1日、15日 9:00–12:00' },
]

export interface DemoMember {
  key: string
  name: string
  username: string
  sector: Sector
  level: 'province' | 'city' | 'county'
  title: string
  stations: string[]
  status?: MemberStatus
}

export const DEMO_MEMBERS: DemoMember[] = [
  { key: 'wang', name: '王建国', username: 'wangjianguo', sector: '经济界', level: 'county', title: '县工商联副主席', stations: ['dongcheng'] },
  { key: 'li', name: '李秀兰', username: 'lixiulan', sector: '医药卫生界', level: 'county', title: '县人民医院副院长', stations: ['dongcheng', 'nanguan'] },
  { key: 'zhang', name: '张志强', username: 'zhangzhiqiang', sector: '教育界', level: 'county', title: '县第一中学校长', stations: ['nanguan'] },
  { key: 'liu', name: '刘桂芳', username: 'liuguifang', sector: '农业和农村界', level: 'county', title: '首阳镇中药材合作社理事长', stations: ['shouyang'] },
  { key: 'chen', name: '陈明', username: 'chenming', sector: '中国共产党', level: 'city', title: '东城街道党工委书记', stations: ['dongcheng'] },
  { key: 'yang', name: '杨丽娟', username: 'yanglijuan', sector: '教育界', level: 'county', title: '南关小学教师', stations: ['nanguan'] },
  { key: 'zhao', name: '赵永福', username: 'zhaoyongfu', sector: '农业和农村界', level: 'county', title: '种植大户', stations: ['shouyang'] },
  {
    key: 'huang',
    name: '黄海燕',
    username: 'huanghaiyan',
    sector: '医药卫生界',
    level: 'county',
    title: '首阳镇卫生院院长',
    stations: ['shouyang', 'dongcheng'],
  },
  { key: 'zhou', name: '周文斌', username: 'zhouwenbin', sector: '经济界', level: 'county', title: '物流企业负责人', stations: ['dongcheng'] },
  { key: 'wu', name: '吴晓梅', username: 'wuxiaomei', sector: '中国共产党', level: 'county', title: '南关社区党委书记', stations: ['nanguan'] },
  {
    key: 'ma',
    name: '马德海',
    username: 'madehai',
    sector: '经济界',
    level: 'county',
    title: '餐饮协会会长',
    stations: ['nanguan', 'shouyang'],
    status: 'on_leave',
  },
  { key: 'sun', name: '孙玉珍', username: 'sunyuzhen', sector: '农业和农村界', level: 'province', title: '省农科院研究员', stations: ['shouyang'] },
]

/** Names in Uyghur (ug) and Kazakh (kk) drafted without a native speaker, like the ug/kk catalogues (needs-native-review). */
export const DEMO_CATEGORIES: { key: string; zh: string; en: string; ug: string; kk: string; sla: SlaClass; sector?: Sector }[] = [
  { key: 'noise', zh: '噪音扰民', en: 'Noise', ug: 'شاۋقۇن-سۈرەن', kk: 'شۋ-دۋ', sla: 'general' },
  { key: 'environment', zh: '环境卫生', en: 'Environment and sanitation', ug: 'مۇھىت تازىلىقى', kk: 'ورتا تازالىعى', sla: 'general' },
  { key: 'roads', zh: '道路交通', en: 'Roads and traffic', ug: 'يول قاتنىشى', kk: 'جول قاتىناسى', sla: 'general', sector: '经济界' },
  { key: 'water', zh: '供水供暖', en: 'Water and heating', ug: 'سۇ ۋە ئىسسىقلىق بىلەن تەمىنلەش', kk: 'سۋ جانە جىلۋ بەرۋ', sla: 'urgent' },
  { key: 'health', zh: '医疗卫生', en: 'Health care', ug: 'داۋالاش ۋە ساغلاملىق', kk: 'مەديتسينا جانە دەنساۋلىق', sla: 'general', sector: '医药卫生界' },
  { key: 'education', zh: '教育', en: 'Education', ug: 'مائارىپ', kk: 'ءبىلىم بەرۋ', sla: 'complex', sector: '教育界' },
  {
    key: 'farming',
    zh: '农业农村',
    en: 'Farming and villages',
    ug: 'يېزا ئىگىلىكى ۋە يېزا',
    kk: 'اۋىل شارۋاشىلىعى جانە اۋىل',
    sla: 'complex',
    sector: '农业和农村界',
  },
  { key: 'other', zh: '其他', en: 'Other', ug: 'باشقا', kk: 'باسقا', sla: 'general' },
]

/**
 * Where each demo case has got to. `queue` cases wait in the station admin's queue (nobody accepted in time);
 * `overdue` cases are past their deadline.
 */
export type DemoOutcome =
  | 'assigned'
  | 'assigned_overdue'
  | 'queue'
  | 'accepted'
  | 'in_progress'
  | 'in_progress_overdue'
  | 'resolved'
  | 'closed_satisfied'
  | 'closed_basic'
  | 'closed_auto'
  | 'reopened'
  | 'invalid'

export interface DemoCase {
  station: string
  member?: string
  category: string
  outcome: DemoOutcome
  daysAgo: number
  description: string
  location?: string
  phone?: string
  reply?: string
}

export const DEMO_CASES: DemoCase[] = [
  {
    station: 'dongcheng',
    member: 'wang',
    category: 'noise',
    outcome: 'closed_satisfied',
    daysAgo: 40,
    description: '人民路夜市烧烤店每晚营业到凌晨两点，油烟和噪音很大，楼上老人休息不好。',
    location: '人民路88号',
    phone: '13893201234',
    reply: '已联系市场监管所和社区，商户承诺22点后停止外摆，并加装油烟净化设备，两周回访无反弹。',
  },
  {
    station: 'dongcheng',
    member: 'li',
    category: 'health',
    outcome: 'closed_satisfied',
    daysAgo: 36,
    description: '社区卫生服务站只有上午开门，上班族看不上病，希望延长下午开诊时间。',
    phone: '13909318765',
    reply: '已与县卫健局沟通，服务站自下月起周二、周四延长至晚上7点。',
  },
  {
    station: 'nanguan',
    member: 'zhang',
    category: 'education',
    outcome: 'closed_basic',
    daysAgo: 33,
    description: '南关小学门口上下学时段车辆乱停，孩子过马路很危险。',
    location: '南关小学东门',
    reply: '已协调交警在上下学时段安排执勤，并施划临时停车位，家长志愿者配合疏导。',
  },
  {
    station: 'shouyang',
    member: 'liu',
    category: 'farming',
    outcome: 'closed_satisfied',
    daysAgo: 31,
    description: '今年中药材党参价格下跌，合作社收购价压得很低，农户希望有保底收购。',
    phone: '15214567890',
    reply: '已向县农业农村局反映，协调两家药企签订保底收购协议，并形成社情民意信息上报。',
  },
  {
    station: 'dongcheng',
    member: 'chen',
    category: 'environment',
    outcome: 'closed_auto',
    daysAgo: 29,
    description: '东城小区垃圾清运不及时，夏天气味很大。',
    location: '东城小区3号楼',
    reply: '已督促环卫公司调整清运时间为每日两次。',
  },
  {
    station: 'nanguan',
    member: 'yang',
    category: 'education',
    outcome: 'closed_satisfied',
    daysAgo: 27,
    description: '希望社区开设暑期托管班，双职工家庭孩子暑假没人照看。',
    reply: '社区与南关小学合作开设暑期托管班，已有45名学生报名。',
  },
  {
    station: 'shouyang',
    member: 'zhao',
    category: 'roads',
    outcome: 'closed_basic',
    daysAgo: 25,
    description: '首阳镇到三台村的道路有多处坑洼，雨天积水，农用车通行困难。',
    location: '首阳镇—三台村道路',
    phone: '18793245678',
    reply: '已纳入乡村道路养护计划，坑洼路段已临时填补，整体改造待明年预算。',
  },
  {
    station: 'dongcheng',
    member: 'huang',
    category: 'health',
    outcome: 'reopened',
    daysAgo: 22,
    description: '老年人在医院自助机上挂号不会操作，希望保留人工窗口。',
    reply: '医院已安排导诊志愿者协助。',
  },
  {
    station: 'dongcheng',
    member: 'zhou',
    category: 'roads',
    outcome: 'resolved',
    daysAgo: 12,
    description: '物流园路口红绿灯时间太短，大货车经常闯红灯，存在安全隐患。',
    location: '物流园路口',
    reply: '已向交警大队反映，信号灯配时已调整，并增设电子监控。',
  },
  {
    station: 'nanguan',
    member: 'wu',
    category: 'environment',
    outcome: 'resolved',
    daysAgo: 10,
    description: '南关社区老旧小区楼道灯坏了很久，晚上老人上下楼不方便。',
    location: '南关社区5号院',
    phone: '13519326543',
    reply: '社区已更换楼道声控灯共32盏。',
  },
  {
    station: 'shouyang',
    member: 'sun',
    category: 'farming',
    outcome: 'resolved',
    daysAgo: 9,
    description: '村里想发展高原夏菜种植，缺少技术指导，希望农科专家下乡。',
    reply: '已安排省农科院专家团队下月到村开展两次技术培训。',
  },
  {
    station: 'dongcheng',
    member: 'wang',
    category: 'other',
    outcome: 'resolved',
    daysAgo: 8,
    description: '个体工商户办理营业执照变更要跑好几个部门，希望能一窗办理。',
    reply: '政务服务中心已开通个体户变更“一件事”窗口。',
  },
  {
    station: 'dongcheng',
    member: 'li',
    category: 'health',
    outcome: 'in_progress',
    daysAgo: 6,
    description: '慢性病门诊报销比例不清楚，希望有人解释新的医保政策。',
    phone: '13830012345',
  },
  {
    station: 'nanguan',
    member: 'zhang',
    category: 'education',
    outcome: 'in_progress',
    daysAgo: 5,
    description: '学校周边小卖部售卖三无零食，希望加强检查。',
    location: '南关小学周边',
  },
  {
    station: 'shouyang',
    member: 'liu',
    category: 'water',
    outcome: 'in_progress_overdue',
    daysAgo: 4,
    description: '首阳镇上街自来水已经停了两天，没有通知，居民用水困难。',
    location: '首阳镇上街',
    phone: '15009321122',
  },
  {
    station: 'dongcheng',
    member: 'chen',
    category: 'noise',
    outcome: 'in_progress',
    daysAgo: 4,
    description: '小区旁工地夜间施工，晚上十一点以后还在打桩。',
    location: '东城街道建设路工地',
  },
  { station: 'nanguan', member: 'yang', category: 'other', outcome: 'in_progress', daysAgo: 3, description: '社区活动室长期锁门，老年人想跳广场舞没地方。' },
  {
    station: 'shouyang',
    member: 'zhao',
    category: 'farming',
    outcome: 'in_progress',
    daysAgo: 3,
    description: '灌溉渠年久失修渗漏严重，春灌用水紧张。',
    location: '三台村灌渠',
  },
  {
    station: 'dongcheng',
    member: 'huang',
    category: 'health',
    outcome: 'accepted',
    daysAgo: 2,
    description: '镇卫生院没有儿科医生，孩子看病要跑县城。',
    phone: '18609327788',
  },
  {
    station: 'dongcheng',
    member: 'zhou',
    category: 'roads',
    outcome: 'accepted',
    daysAgo: 2,
    description: '人民路公交站台没有遮雨棚，下雨天等车很难受。',
    location: '人民路公交站',
  },
  {
    station: 'nanguan',
    member: 'wu',
    category: 'environment',
    outcome: 'accepted',
    daysAgo: 1,
    description: '小区绿化带被占用种菜，还堆放杂物。',
    location: '南关社区2号院',
  },
  { station: 'shouyang', member: 'sun', category: 'farming', outcome: 'accepted', daysAgo: 1, description: '地膜回收点太远，村民随意丢弃废旧地膜。' },
  {
    station: 'dongcheng',
    member: 'wang',
    category: 'noise',
    outcome: 'assigned',
    daysAgo: 0.5,
    description: 'KTV 晚上音响声音太大，影响附近居民休息。',
    location: '步行街KTV',
    phone: '13993215566',
  },
  {
    station: 'nanguan',
    member: 'zhang',
    category: 'education',
    outcome: 'assigned',
    daysAgo: 0.3,
    description: '孩子学校的课后服务收费标准不清楚，希望公开。',
  },
  {
    station: 'shouyang',
    member: 'liu',
    category: 'water',
    outcome: 'assigned',
    daysAgo: 0.05,
    description: '下街自来水水压很低，三楼以上基本没水。',
    location: '首阳镇下街',
  },
  {
    station: 'dongcheng',
    member: 'li',
    category: 'health',
    outcome: 'assigned_overdue',
    daysAgo: 2,
    description: '药店医保卡不能刷门诊统筹，老人买药要自己垫钱。',
  },
  {
    station: 'nanguan',
    member: 'yang',
    category: 'environment',
    outcome: 'assigned_overdue',
    daysAgo: 1.5,
    description: '公厕无人打扫，卫生状况很差。',
    location: '南关菜市场公厕',
  },
  { station: 'nanguan', category: 'other', outcome: 'queue', daysAgo: 2.5, description: '想咨询一下残疾人补贴怎么申请，需要什么材料。', phone: '13679321234' },
  // The demo station admin's desk opens on its queue: one case there that routing could not place.
  {
    station: 'dongcheng',
    category: 'roads',
    outcome: 'queue',
    daysAgo: 0.8,
    description: '建设路井盖松动，车辆经过哐哐响，晚上吵得睡不着。',
    location: '建设路与人民路交叉口',
  },
  { station: 'shouyang', category: 'roads', outcome: 'queue', daysAgo: 1.2, description: '村口桥梁护栏损坏，晚上经过很危险。', location: '首阳镇大桥' },
  { station: 'dongcheng', member: 'chen', category: 'other', outcome: 'invalid', daysAgo: 15, description: '测试测试测试' },
]

export const CASE_STATUS_OF: Record<DemoOutcome, CaseStatus> = {
  assigned: 'assigned',
  assigned_overdue: 'assigned',
  queue: 'assigned',
  accepted: 'accepted',
  in_progress: 'in_progress',
  in_progress_overdue: 'in_progress',
  resolved: 'resolved',
  closed_satisfied: 'closed',
  closed_basic: 'closed',
  closed_auto: 'closed',
  reopened: 'reopened',
  invalid: 'invalid',
}
