/**
 * Quick replies for 办结, per category (matched by the category's Chinese name, as committees name them in
 * the demo data and in practice), then the general ones. The member edits the text before sending.
 */
const GENERAL = ['您反映的问题已转交相关部门并已处理完毕，感谢您对政协工作的信任和支持。', '已与您电话沟通并说明情况，如仍有问题可再次扫码反映。']

const BY_CATEGORY: Record<string, string[]> = {
  噪音扰民: ['已联系社区和相关单位，噪音问题已整改，夜间施工已按规定停止。'],
  环境卫生: ['已协调环卫部门清理，并增加了清扫频次。'],
  道路交通: ['已反映至交通、住建部门，破损路面已安排维修。'],
  供水供暖: ['已联系供水/供热公司上门检修，现已恢复正常。'],
  医疗卫生: ['已与卫健部门沟通，相关就医问题已协调解决。'],
  教育: ['已与教育部门沟通，学校已就相关问题作出答复和安排。'],
  农业农村: ['已联系乡镇农业服务中心，技术人员已上门指导。'],
}

export function quickReplies(categoryNames: Record<string, string> | null): string[] {
  const zh = categoryNames?.['zh-CN']
  return [...(zh ? (BY_CATEGORY[zh] ?? []) : []), ...GENERAL]
}
