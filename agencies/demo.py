"""The demo hierarchy and demo users that ``load_demo`` builds.

The seed documents' agencies sit in plausible places; codes are stable so that
tests, imports and the README can name them.
"""

from dataclasses import dataclass, field

from agencies.models import Agency, Membership

K = Agency.Kind
L = Agency.Level


@dataclass(frozen=True)
class DemoAgency:
    code: str
    name: str
    short_name: str
    kind: str
    level: str
    children: list["DemoAgency"] = field(default_factory=list)


TREE = [
    DemoAgency("gwy", "国务院", "国务院", K.GOVERNMENT, L.NATIONAL, [
        DemoAgency("tjj", "国家统计局", "国家统计局", K.DEPARTMENT, L.NATIONAL, [
            DemoAgency("tjj-cq", "国家统计局重庆调查总队", "重庆调查总队",
                       K.DISPATCHED, L.PROVINCE),
        ]),
    ]),
    DemoAgency("hn", "湖南省人民政府", "湖南省政府", K.GOVERNMENT, L.PROVINCE, [
        DemoAgency("hn-tjj", "湖南省统计局", "湖南统计局", K.DEPARTMENT, L.PROVINCE),
        DemoAgency("hn-xx", "湘西土家族苗族自治州人民政府", "湘西州",
                   K.GOVERNMENT, L.CITY, [
            DemoAgency("hn-xx-zwgk", "湘西土家族苗族自治州政务公开政务服务管理办公室",
                       "湘西州政务公开办", K.DEPARTMENT, L.CITY),
            DemoAgency("hn-xx-js", "吉首市人民政府", "吉首市", K.GOVERNMENT, L.COUNTY),
            DemoAgency("hn-xx-fh", "凤凰县人民政府", "凤凰县", K.GOVERNMENT, L.COUNTY),
            DemoAgency("hn-xx-ys", "永顺县人民政府", "永顺县", K.GOVERNMENT, L.COUNTY),
        ]),
    ]),
    DemoAgency("fj", "福建省人民政府", "福建省政府", K.GOVERNMENT, L.PROVINCE, [
        DemoAgency("fj-tjj", "福建省统计局", "福建统计局", K.DEPARTMENT, L.PROVINCE),
    ]),
    DemoAgency("jl", "吉林省人民政府", "吉林省政府", K.GOVERNMENT, L.PROVINCE, [
        DemoAgency("jl-jlc", "吉林市人民政府", "吉林市政府", K.GOVERNMENT, L.CITY, [
            DemoAgency("jl-jlc-tjj", "吉林市统计局", "吉林市统计局",
                       K.DEPARTMENT, L.CITY, [
                DemoAgency("jl-jlc-tjj-lt", "吉林市统计局龙潭分局", "龙潭分局",
                           K.DISPATCHED, L.COUNTY),
            ]),
        ]),
    ]),
]  # fmt: skip


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    description: str
    agency_code: str | None = None
    role: str | None = None
    superuser: bool = False


USERS = [
    DemoUser("longtan_clerk", "nianbao-demo-1", "龙潭分局 填报人",
             "jl-jlc-tjj-lt", Membership.Role.CLERK),
    DemoUser("jilin_reviewer", "nianbao-demo-2", "吉林市统计局 审核人",
             "jl-jlc-tjj", Membership.Role.REVIEWER),
    DemoUser("xiangxi_clerk", "nianbao-demo-3", "湘西州 填报人",
             "hn-xx", Membership.Role.CLERK),
    DemoUser("hunan_reviewer", "nianbao-demo-4", "湖南省人民政府 审核人",
             "hn", Membership.Role.REVIEWER),
    DemoUser("admin", "nianbao-admin", "系统管理员（超级用户）", superuser=True),
]  # fmt: skip
