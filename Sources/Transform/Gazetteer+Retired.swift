// swift-format-ignore-file
//
// Division names retired by GB/T 2260 changes, and today's division that holds their whole area:
// people keep writing the name they learned (南京市白下区, 上海闸北, 吴江市) long after the change.
// Kept by hand from the change records the Ministry of Civil Affairs publishes each year
// (县级以上行政区划变更情况); GB/T 2260 itself lists only the divisions in force.
//
// One line per retired name, tab-separated:
//
//     year  retired name  today's division (6-digit code)  where
//
// - year: the year of the change that retired the name.
// - A name goes here only when its whole area went into one division (a merger, a county made a
//   district, a rename), so that the address it starts is resolved to that division. A name whose
//   area was split among several lists them all, comma-separated: such an address stays
//   resolved to the city only, with the name left in the detail, and says why (`split_district`).
// - The name is read where the address names the division's city or province, or needs no
//   context (闸北区 is Shanghai's); a current division of the same name comes first (东山区 alone is
//   鹤岗's, 广州东山区 is 越秀区). Its short form (闸北, 白下) is read only after its city.
// - The last column is for the reader of this file only.
//
// Checked by Tests/TransformTests/RetiredDivisionTests.swift (every code exists, no retired
// name is still a division of the same city).

extension Gazetteer {
    static let retiredTable = """
1988	宝山县	310113	上海
1993	嘉定县	310114	上海
1997	金山县	310116	上海
1997	通县	110112	北京 通州区
1998	顺义县	110113	北京
1998	松江县	310117	上海
1999	昌平县	110114	北京
1999	青浦县	310118	上海
2000	江宁县	320115	南京
2000	武清县	120114	天津
2000	花都市	440114	广州
2000	吴县市	320506,320507	苏州: split between 吴中区 and 相城区
2000	锡山市	320205,320206	无锡: split between 锡山区 and 惠山区
2001	大兴县	110115	北京
2001	怀柔县	110116	北京
2001	平谷县	110117	北京
2001	奉贤县	310120	上海
2001	宝坻县	120115	天津
2001	淮阴县	320804	淮安
2001	新都县	510114	成都
2001	长清县	370113	济南
2002	大厂区	320116	南京 六合区
2002	温江县	510115	成都
2002	长安县	610116	西安
2002	顺德市	440606	佛山
2002	南海市	440605	佛山
2002	三水市	440607	佛山
2002	高明市	440608	佛山
2002	新会市	440705	江门
2003	开元区	350203	厦门 思明区
2003	鼓浪屿区	350203	厦门 思明区
2003	杏林区	350211,350205	厦门: split between 集美区 (杏林街道, 杏林镇) and 海沧区
2003	惠阳市	441303	惠州
2004	呼兰县	230111	哈尔滨
2005	东山区	440104	广州 越秀区
2005	芳村区	440103	广州 荔湾区
2006	动力区	230110	哈尔滨 香坊区
2006	阿城市	230112	哈尔滨
2007	思茅市	530800	普洱市
2009	南汇区	310115	上海 浦东新区
2009	塘沽区	120116	天津 滨海新区
2009	汉沽区	120116	天津 滨海新区
2009	大港区	120116	天津 滨海新区
2010	崇文区	110101	北京 东城区
2010	宣武区	110102	北京 西城区
2010	铜山县	320312	徐州
2010	襄樊市	420600	襄阳市
2011	卢湾区	310101	上海 黄浦区
2011	维扬区	321003	扬州 邗江区
2011	江都市	321012	扬州
2011	万盛区	500110	重庆 綦江区
2011	綦江县	500110	重庆
2011	双桥区	500111	重庆 大足区
2011	大足县	500111	重庆
2011	望城县	430112	长沙
2011	呈贡县	530114	昆明
2012	楚州区	320803	淮安 淮安区
2012	沧浪区	320508	苏州 姑苏区
2012	平江区	320508	苏州 姑苏区
2012	金阊区	320508	苏州 姑苏区
2012	吴江市	320509	苏州
2012	姜堰市	321204	泰州
2012	四方区	370203	青岛 市北区
2012	胶南市	370211	青岛 黄岛区
2012	名山县	511803	雅安
2013	白下区	320104	南京 秦淮区
2013	下关区	320106	南京 鼓楼区
2013	溧水县	320117	南京
2013	高淳县	320118	南京
2013	绍兴县	330603	绍兴 柯桥区
2013	上虞市	330604	绍兴
2013	达县	511703	达州 达川区
2014	萝岗区	440112	广州 黄埔区
2014	从化市	440117	广州
2014	增城市	440118	广州
2014	桥东区	130102,130104	石家庄: split between 长安区 and 桥西区
2014	富阳市	330111	杭州
2014	新浦区	320706	连云港 海州区
2014	赣榆县	320707	连云港
2014	双城市	230113	哈尔滨
2014	九台市	220113	长春
2014	东陵区	210112	沈阳 浑南区
2014	高陵县	610117	西安
2015	闸北区	310106	上海 静安区
2015	崇安区	320213	无锡 梁溪区
2015	南长区	320213	无锡 梁溪区
2015	北塘区	320213	无锡 梁溪区
2015	戚墅堰区	320412	常州 武进区
2015	金坛市	320413	常州
2015	大丰市	320904	盐城
2015	密云县	110118	北京
2015	延庆县	110119	北京
2015	宁河县	120117	天津
2015	静海县	120118	天津
2015	双流县	510116	成都
2015	普兰店市	210214	大连
2015	洞头县	330305	温州
2015	武鸣县	450110	南宁
2016	清河区	320812	淮安 清江浦区
2016	清浦区	320812	淮安 清江浦区
2016	江东区	330212	宁波 鄞州区
2016	奉化市	330213	宁波
2016	崇明县	310151	上海
2016	蓟县	120119	天津 蓟州区
2016	武隆县	500156	重庆
2016	梁平县	500155	重庆
2016	郫县	510117	成都 郫都区
2016	户县	610118	西安 鄠邑区
2016	鄠县	610118	西安 鄠邑区
2016	章丘市	370114	济南
2016	肥乡县	130407	邯郸
2016	辽中县	210115	沈阳
2016	晋宁县	530115	昆明
2017	临安市	330112	杭州
2017	即墨市	370215	青岛
2017	长乐市	350112	福州
2018	济阳县	370115	济南
2018	海安县	320685	南通 海安市
2019	湾里区	360112	南昌 新建区
2019	茌平县	371503	聊城
2019	平果县	451082	百色 平果市
2020	港闸区	320613	南通 崇川区
2020	桥东区	130502	邢台 襄都区
2020	桥西区	130503	邢台 信都区
2020	海门市	320614	南通 海门区
2021	下城区	330105	杭州 拱墅区
2021	江干区	330102,330114	杭州: split between 上城区 and 钱塘区
2021	横县	450181	南宁 横州市
"""
}
