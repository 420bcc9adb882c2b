// Fictional data for the demo contest: no real schools or people.
export const DEMO_CONTEST = {
  name: '2026年滨江区中小学教师板书设计比赛（区级评审）',
  description:
    '经学校初赛推荐，497件板书作品进入区级评审。评委依据八项评分标准独立评分，按成绩评出一等奖70名、二等奖127名，做到公平、公正、公开。',
};

export const DEMO_CATEGORIES = [
  { id: 'primary', name: { zh: '小学组', en: 'Primary' } },
  { id: 'secondary', name: { zh: '中学组', en: 'Secondary' } },
];

export const DEMO_SUBJECTS = [
  { id: 'chinese', name: { zh: '语文', en: 'Chinese' } },
  { id: 'math', name: { zh: '数学', en: 'Mathematics' } },
  { id: 'english', name: { zh: '英语', en: 'English' } },
  { id: 'science', name: { zh: '科学', en: 'Science' } },
  { id: 'physics', name: { zh: '物理', en: 'Physics' } },
  { id: 'chemistry', name: { zh: '化学', en: 'Chemistry' } },
  { id: 'biology', name: { zh: '生物', en: 'Biology' } },
  { id: 'geography', name: { zh: '地理', en: 'Geography' } },
  { id: 'history', name: { zh: '历史', en: 'History' } },
];

export const PRIMARY_SUBJECTS = ['chinese', 'chinese', 'math', 'math', 'english', 'science'];
export const SECONDARY_SUBJECTS = ['chinese', 'math', 'english', 'physics', 'chemistry', 'biology', 'geography', 'history'];

/** The eight criteria of the district's blackboard-writing contest; weights sum to 100 and equal the points. */
export const DEMO_CRITERIA = [
  { id: 'highlight', name: { zh: '突出重点', en: 'Key points highlighted' }, description: { zh: '教学重点、难点醒目突出，一目了然', en: 'Key and difficult points stand out at a glance' }, weight: 15 },
  { id: 'structure', name: { zh: '条理清晰', en: 'Clear structure' }, description: { zh: '层次分明，逻辑清楚，体现教学思路', en: 'Clear levels and logic that follow the lesson' }, weight: 15 },
  { id: 'layout', name: { zh: '布局合理', en: 'Sensible layout' }, description: { zh: '主副板书分区合理，疏密得当，整体美观', en: 'Main and side areas well divided, balanced spacing' }, weight: 15 },
  { id: 'accuracy', name: { zh: '文字准确', en: 'Accurate text' }, description: { zh: '用字规范，无错别字，标点与符号正确', en: 'Standard characters, no typos, correct punctuation and symbols' }, weight: 10 },
  { id: 'diagrams', name: { zh: '作图规范', en: 'Standard diagrams' }, description: { zh: '图示、图表规范准确，线条清楚', en: 'Diagrams and charts correct, clean lines' }, weight: 10 },
  { id: 'handwriting', name: { zh: '书写美观', en: 'Beautiful handwriting' }, description: { zh: '字体工整美观，大小适中，行款整齐', en: 'Neat, well-sized, evenly aligned writing' }, weight: 15 },
  { id: 'practical', name: { zh: '内容实用', en: 'Practical content' }, description: { zh: '服务课堂教学，便于学生理解和记忆', en: 'Serves the lesson; easy for pupils to grasp and remember' }, weight: 10 },
  { id: 'subject', name: { zh: '体现学科特点', en: 'Fits the subject' }, description: { zh: '体现学科思维方法与特色', en: 'Shows the subject’s way of thinking' }, weight: 10 },
] as const;

export const DEMO_SCHOOLS = [
  '滨江区实验小学', '滨江区第一小学', '滨江区第二小学', '滨江区第三小学', '江南路小学', '育才小学', '明德小学', '星光小学',
  '春晖小学', '阳光小学', '文华小学', '桂花园小学', '东湖小学', '西岭小学', '北辰小学', '新城小学',
  '滨江区第一中学', '滨江区第二中学', '滨江区第三中学', '滨江区实验中学', '江南中学', '育英中学', '求是中学', '启明中学',
  '崇文中学', '长河中学', '钱塘中学', '观澜中学',
];

export const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹'];
export const GIVEN_NAMES = ['丽', '静', '敏', '芳', '燕', '娟', '霞', '婷', '雪', '琳', '伟', '强', '磊', '军', '洋', '勇', '杰', '涛', '明', '超', '晓红', '海燕', '文静', '春梅', '志强', '建华', '玉兰', '秀英', '思远', '嘉怡', '子涵', '雨桐'];

export const DEMO_JUDGES = [
  { name: '钱明远', school: '滨江区教师发展中心' },
  { name: '孙丽华', school: '滨江区教师发展中心' },
  { name: '周文涛', school: '滨江区教育研究室' },
  { name: '吴雅琴', school: '滨江区教育研究室' },
  { name: '郑国平', school: '滨江区实验小学' },
  { name: '冯晓燕', school: '滨江区教师发展中心' },
  { name: '陈志刚', school: '滨江区教育研究室' },
  { name: '褚秀兰', school: '滨江区教师进修学校' },
  { name: '卫建国', school: '育才小学' },
  { name: '蒋婉清', school: '滨江区教师进修学校' },
  { name: '沈宏伟', school: '滨江区第一中学' },
  { name: '韩佳慧', school: '滨江区教育研究室' },
  { name: '杨德全', school: '滨江区教师进修学校' },
  { name: '朱美玲', school: '求是中学' },
  { name: '秦海波', school: '滨江区教师发展中心' },
];

export const DEMO_PANELS = [
  { name: '小学一组', category: 'primary' },
  { name: '小学二组', category: 'primary' },
  { name: '中学组', category: 'secondary' },
];

export const DEMO_COMMENTS = [
  '重点突出，板书层次清楚。',
  '布局合理，主副板书分工明确。',
  '书写工整，建议适当增加图示。',
  '图示规范，便于学生理解。',
  '内容较多，略显拥挤。',
  '标题醒目，逻辑线索清晰。',
  '个别字迹潦草，注意书写规范。',
  '学科特点鲜明，设计巧妙。',
];
