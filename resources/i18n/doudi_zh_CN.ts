<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name />
    <message>
        <source>Please enter an amount in yuan.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The amount must be a number of yuan, e.g. 312.50.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The amount cannot be negative.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The amount can have at most two decimals (fen).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>OK</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <source>The first administrator</source>
        <translation>首位管理员</translation>
    </message>
    <message>
        <source>The administrator adds the other users later. Choose a password that only you know; it cannot be read back from the database.</source>
        <translation>管理员以后再添加其他用户。请设置只有您自己知道的密码；数据库里读不出密码。</translation>
    </message>
    <message>
        <source>&amp;Create the office</source>
        <translation>建立单位(&amp;C)</translation>
    </message>
    <message>
        <source>e.g. 马建国</source>
        <translation>例如 马建国</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>Full &amp;name:</source>
        <translation>姓名(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Repeat password:</source>
        <translation>再输一次(&amp;R)：</translation>
    </message>
    <message>
        <source>The two passwords are not the same.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>&amp;Current password:</source>
        <translation>原密码(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;New password:</source>
        <translation>新密码(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Repeat it:</source>
        <translation>再输一次(&amp;R)：</translation>
    </message>
    <message>
        <source>Changing the password…</source>
        <translation>正在修改密码……</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>Dashboard</source>
        <translation>工作台</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Load the numbers again (F5)</source>
        <translation>重新统计（F5）</translation>
    </message>
    <message>
        <source>Households in the register</source>
        <translation>在册户数</translation>
    </message>
    <message>
        <source>Visits this month</source>
        <translation>本月入户核查</translation>
    </message>
    <message>
        <source>Overdue visits</source>
        <translation>逾期未核查</translation>
    </message>
    <message>
        <source>Monthly close (the 25th)</source>
        <translation>距 25 日报送</translation>
    </message>
    <message>
        <source>Changes not yet sent</source>
        <translation>未报送的更改</translation>
    </message>
    <message>
        <source>Households by category</source>
        <translation>按类别</translation>
    </message>
    <message>
        <source>Visits in the last 12 months</source>
        <translation>近 12 个月入户核查</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村（居）</translation>
    </message>
    <message>
        <source>Households</source>
        <translation>户数</translation>
    </message>
    <message>
        <source>Under watch</source>
        <translation>每月核查</translation>
    </message>
    <message>
        <source>Visited this month</source>
        <translation>本月已核查</translation>
    </message>
    <message>
        <source>Done (%)</source>
        <translation>完成率(%)</translation>
    </message>
    <message>
        <source>By village</source>
        <translation>按村统计</translation>
    </message>
    <message>
        <source>Month %1</source>
        <translation>%1 月度</translation>
    </message>
    <message>
        <source>%1 under monthly watch</source>
        <translation>其中每月核查 %1 户</translation>
    </message>
    <message>
        <source>%1 still to visit</source>
        <translation>还有 %1 户未核查</translation>
    </message>
    <message>
        <source>All visited</source>
        <translation>已全部核查</translation>
    </message>
    <message>
        <source>not visited last month or this month</source>
        <translation>上月和本月都未核查</translation>
    </message>
    <message>
        <source>go in the next package to the county</source>
        <translation>随下一个数据包报县局</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>%1 days</source>
        <translation>%1 天</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <source>Something went wrong. Your saved data is safe.
If it happens again, press "Copy details" and send the text to your county support staff.</source>
        <translation>程序出现了问题，已保存的数据不受影响。
如果再次出现，请点击“复制详情”，把内容发给县里的技术支持人员。</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>复制详情</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <source>Doudi is locked</source>
        <translation>兜底已锁定</translation>
    </message>
    <message>
        <source>Locked after a time without use. Your open work is kept. Enter the password of %1 to continue.</source>
        <translation>一段时间无人操作，程序已锁定，打开的内容都还在。请输入 %1 的密码继续。</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Checking the password…</source>
        <translation>正在核对密码……</translation>
    </message>
    <message>
        <source>Wrong password. Try again.</source>
        <translation>密码不正确，请重试。</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Doudi</source>
        <translation type="vanished">兜底</translation>
    </message>
    <message>
        <source>Creating a demo office with made-up households…</source>
        <translation>正在建立演示单位（虚构的户）……</translation>
    </message>
    <message>
        <source>Demo office: user admin, password doudi-demo-2021. Nothing in it is real.</source>
        <translation>演示单位：用户 admin，密码 doudi-demo-2021。其中的人和数据都是虚构的。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Dashboard</source>
        <translation>工作台</translation>
    </message>
    <message>
        <source>Households</source>
        <translation>户档案</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>入户核查</translation>
    </message>
    <message>
        <source>Programmes</source>
        <translation>救助</translation>
    </message>
    <message>
        <source>Enrolment in 低保, 特困, 临时救助 and the subsidies through the whole workflow: application, home survey, review, publicity, approval, payment and gradual exit.</source>
        <translation>低保、特困、临时救助和各项补贴的全流程办理：申请、入户调查、民主评议、公示、审核审批、发放和渐退。</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>预警</translation>
    </message>
    <message>
        <source>Monitoring alerts raised by the rules (income drop, large medical costs, disability, overdue visits …), each followed up to a close.</source>
        <translation>按规则产生的监测预警（收入下降、大额医疗支出、残疾、逾期未核查等），逐条跟进直到办结。</translation>
    </message>
    <message>
        <source>Comparison</source>
        <translation>比对</translation>
    </message>
    <message>
        <source>The monthly match of the register against the lists of partner departments, by ID number.</source>
        <translation>每月按身份证号把台账与乡村振兴、卫健、残联、人社、医保等部门的名单比对。</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>The standard monthly reports: additions and removals, payment roster, monitoring ledger, as PDF or Excel.</source>
        <translation>每月的标准报表：增减名单、发放花名册、监测台账，可导出 PDF 或 Excel。</translation>
    </message>
    <message>
        <source>Data exchange</source>
        <translation>数据交换</translation>
    </message>
    <message>
        <source>Signed, encrypted packages to and from the county bureau, on a USB stick or over the network.</source>
        <translation>与县民政局往来的签名加密数据包，用 U 盘或网络传送。</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Doudi — %1</source>
        <translation>兜底 — %1</translation>
    </message>
    <message>
        <source>User: %1 (%2)</source>
        <translation>用户：%1（%2）</translation>
    </message>
    <message>
        <source>Unsent changes: …</source>
        <translation>未报送更改：……</translation>
    </message>
    <message>
        <source>Monthly close: today (%1)</source>
        <translation>今天是报送截止日（%1）</translation>
    </message>
    <message>
        <source>%1 days until the 25th (%2)</source>
        <translation>距 25 日报送还有 %1 天（%2）</translation>
    </message>
    <message>
        <source>Unsent changes: %1</source>
        <translation>未报送更改：%1</translation>
    </message>
</context>
<context>
    <name>OfficePage</name>
    <message>
        <source>Which office is this?</source>
        <translation>这是哪个单位？</translation>
    </message>
    <message>
        <source>Choose the township or the county bureau this PC works for.</source>
        <translation>请选择这台电脑所属的乡镇民政办或县民政局。</translation>
    </message>
    <message>
        <source>&amp;Township office (乡镇民政办)</source>
        <translation>乡镇民政办(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;County bureau (县民政局)</source>
        <translation>县民政局(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Office:</source>
        <translation>单位(&amp;O)：</translation>
    </message>
    <message>
        <source>6, 9 or 12 digits</source>
        <translation>6、9 或 12 位数字</translation>
    </message>
    <message>
        <source>e.g. 某某镇人民政府民政办</source>
        <translation>例如 某某镇人民政府民政办</translation>
    </message>
    <message>
        <source>Division &amp;code:</source>
        <translation>区划代码(&amp;C)：</translation>
    </message>
    <message>
        <source>Office &amp;name:</source>
        <translation>单位名称(&amp;N)：</translation>
    </message>
    <message>
        <source>Another office (type its code and name)</source>
        <translation>其他单位（输入区划代码和名称）</translation>
    </message>
</context>
<context>
    <name>Op</name>
    <message>
        <source>Please wait</source>
        <translation>请稍候</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
</context>
<context>
    <name>PasswordStrength</name>
    <message>
        <source>Too weak</source>
        <translation>太弱</translation>
    </message>
    <message>
        <source>Weak</source>
        <translation>弱</translation>
    </message>
    <message>
        <source>Fair</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>Good</source>
        <translation>较强</translation>
    </message>
    <message>
        <source>Strong</source>
        <translation>强</translation>
    </message>
    <message>
        <source>At least 8 characters; longer is better.</source>
        <translation>至少 8 个字符，越长越好。</translation>
    </message>
    <message>
        <source>Strength: %1</source>
        <translation>强度：%1</translation>
    </message>
    <message>
        <source>The two passwords are not the same.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>PlaceholderPage</name>
    <message>
        <source>This part comes in a later version of Doudi.</source>
        <translation>这一部分将在兜底的后续版本中提供。</translation>
    </message>
</context>
<context>
    <name>RecoveryCodePage</name>
    <message>
        <source>The recovery code</source>
        <translation>恢复码</translation>
    </message>
    <message>
        <source>Shown only this once. Without it nobody can open the database if every password is forgotten or the data is moved to another PC.</source>
        <translation>只显示这一次。如果所有人都忘了密码，或者数据搬到了另一台电脑，没有它谁也打不开数据库。</translation>
    </message>
    <message>
        <source>Print it or write it down, and lock it away with the head of the office. Do not photograph it or send it by WeChat, QQ or e-mail. Use it with "Forgot password…" on the sign-in window.</source>
        <translation>请打印或抄写下来，交民政办负责人锁好保管。不要拍照，不要通过微信、QQ 或邮箱发送。需要时在登录窗口点“忘记密码……”使用。</translation>
    </message>
    <message>
        <source>Save as &amp;PDF…</source>
        <translation>另存为 PDF(&amp;P)……</translation>
    </message>
    <message>
        <source>I have &amp;written down or printed the recovery code</source>
        <translation>我已抄写或打印了恢复码(&amp;W)</translation>
    </message>
    <message>
        <source>Office: %1</source>
        <translation>单位：%1</translation>
    </message>
    <message>
        <source>This is a demo office: sign in as admin with the password doudi-demo-2021.</source>
        <translation>这是演示单位：用户名 admin，密码 doudi-demo-2021。</translation>
    </message>
    <message>
        <source>Save the recovery sheet</source>
        <translation>保存恢复码单</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>The file could not be written: %1</source>
        <translation>无法写入文件：%1</translation>
    </message>
    <message>
        <source>Saved: %1. Print it, then delete the file.</source>
        <translation>已保存：%1。打印后请删除该文件。</translation>
    </message>
</context>
<context>
    <name>RecoveryDialog</name>
    <message>
        <source>Set a new password with the recovery code</source>
        <translation>用恢复码设置新密码</translation>
    </message>
    <message>
        <source>The recovery code was shown once when the office was set up, and printed on the recovery sheet. It sets a new password for one user.</source>
        <translation>恢复码在建立单位时显示过一次，也印在恢复码单上。用它可以为一个用户设置新密码。</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Recovery code:</source>
        <translation>恢复码(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;New password:</source>
        <translation>新密码(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Repeat it:</source>
        <translation>再输一次(&amp;R)：</translation>
    </message>
    <message>
        <source>Set new password</source>
        <translation>设置新密码</translation>
    </message>
    <message>
        <source>Please enter your user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>Please enter the recovery code.</source>
        <translation>请输入恢复码。</translation>
    </message>
    <message>
        <source>Checking the recovery code…</source>
        <translation>正在核对恢复码……</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Lock after no use for:</source>
        <translation>无人操作多久后锁定：</translation>
    </message>
    <message>
        <source>Device key kept in:</source>
        <translation>设备密钥存放在：</translation>
    </message>
    <message>
        <source>Change my password…</source>
        <translation>修改我的密码……</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Users, backups, policy parameters and the language come in a later version.</source>
        <translation>用户管理、备份、政策参数和界面语言将在后续版本中提供。</translation>
    </message>
    <message>
        <source>the system credential store (recommended)</source>
        <translation>系统凭据库（推荐）</translation>
    </message>
    <message>
        <source>a file in your user folder — weaker: this PC has no system credential store. Keep the PC's user account protected by a password.</source>
        <translation>用户文件夹中的一个文件——较弱：这台电脑没有系统凭据库。请给电脑的登录账户设置密码。</translation>
    </message>
    <message>
        <source>Password changed</source>
        <translation>密码已修改</translation>
    </message>
    <message>
        <source>Your password has been changed.</source>
        <translation>您的密码已修改。</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>Set up Doudi</source>
        <translation>设置兜底</translation>
    </message>
    <message>
        <source>Creating the encrypted office database…</source>
        <translation>正在建立加密的单位数据库……</translation>
    </message>
    <message>
        <source>Creating a demo office with made-up households…</source>
        <translation>正在建立演示单位（虚构的户）……</translation>
    </message>
    <message>
        <source>Recovery code</source>
        <translation>恢复码</translation>
    </message>
    <message>
        <source>The office has been created. Please write down or print the recovery code and tick the box before closing.</source>
        <translation>单位已经建立。请先抄写或打印恢复码，并勾选确认，然后再关闭。</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Doudi — sign in</source>
        <translation>兜底 — 登录</translation>
    </message>
    <message>
        <source>Doudi</source>
        <translation>兜底</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Forgot password…</source>
        <translation>忘记密码……</translation>
    </message>
    <message>
        <source>Too many failed attempts. Please try again in %1 seconds.</source>
        <translation>登录失败次数过多，请 %1 秒后再试。</translation>
    </message>
    <message>
        <source>Please enter your user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>Please enter your password.</source>
        <translation>请输入密码。</translation>
    </message>
    <message>
        <source>Unlocking the office database…</source>
        <translation>正在打开单位数据库……</translation>
    </message>
    <message>
        <source>This PC does not hold the key for this office database (the data folder may have been copied from another PC). Use "Forgot password…" with the recovery code.</source>
        <translation>这台电脑上没有此数据库的设备密钥（数据文件夹可能是从别的电脑复制来的）。请点“忘记密码……”，用恢复码设置新密码。</translation>
    </message>
</context>
<context>
    <name>StartPage</name>
    <message>
        <source>Welcome to Doudi</source>
        <translation>欢迎使用兜底</translation>
    </message>
    <message>
        <source>Doudi keeps this office's register of households, visits and assistance in an encrypted database on this PC.</source>
        <translation>兜底把本单位的户档案、入户核查和救助台账保存在这台电脑上的加密数据库里。</translation>
    </message>
    <message>
        <source>&amp;Set up this office's database</source>
        <translation>建立本单位的数据库(&amp;S)</translation>
    </message>
    <message>
        <source>For real work. You choose the office and the first administrator; you will get a recovery code to print and lock away.</source>
        <translation>用于正式工作。选择单位并设置首位管理员；您会得到一个恢复码，请打印后锁好。</translation>
    </message>
    <message>
        <source>&amp;Try a demo office</source>
        <translation>试用演示单位(&amp;T)</translation>
    </message>
    <message>
        <source>A township filled with made-up people, to learn the program. User admin, password doudi-demo-2021. Nothing in it is real.</source>
        <translation>一个填满虚构人员的乡镇，用来熟悉程序。用户 admin，密码 doudi-demo-2021。其中没有真实数据。</translation>
    </message>
</context>
<context>
    <name>VisitChart</name>
    <message>
        <source>%1: %2 of %3 visited</source>
        <translation>%1：%3 户中已核查 %2 户</translation>
    </message>
    <message>
        <source>Visited</source>
        <translation>已核查</translation>
    </message>
    <message>
        <source>Due (under watch today)</source>
        <translation>应核查（按目前在册）</translation>
    </message>
    <message>
        <source>No data yet</source>
        <translation>暂无数据</translation>
    </message>
</context>
</TS>
