<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name />
    <message>
        <source>Village:</source>
        <translation type="obsolete">村：</translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Doudi</source>
        <translation>关于兜底</translation>
    </message>
    <message>
        <source>Doudi %1</source>
        <translation>兜底 %1</translation>
    </message>
    <message>
        <source>Offline register of social assistance for township civil-affairs offices.</source>
        <translation>乡镇民政办的离线社会救助台账。</translation>
    </message>
    <message>
        <source>Database version: %1</source>
        <translation>数据库版本：%1</translation>
    </message>
    <message>
        <source>Build date: %1</source>
        <translation>构建日期：%1</translation>
    </message>
    <message>
        <source>Commit: %1</source>
        <translation>提交：%1</translation>
    </message>
    <message>
        <source>Data folder: %1</source>
        <translation>数据文件夹：%1</translation>
    </message>
    <message>
        <source>Backups go to: %1</source>
        <translation>备份位置：%1</translation>
    </message>
</context>
<context>
    <name>AddAttachmentsDialog</name>
    <message>
        <source>Add attachments</source>
        <translation>添加附件</translation>
    </message>
    <message>
        <source>Attaching files…</source>
        <translation>正在添加附件…</translation>
    </message>
    <message>
        <source>Files:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>类别：</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>说明：</translation>
    </message>
</context>
<context>
    <name>AddCardDialog</name>
    <message>
        <source>Add an office's card</source>
        <translation>添加对方单位名片</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Card file</source>
        <translation>名片文件</translation>
    </message>
    <message>
        <source>Fingerprint read over the phone</source>
        <translation>电话中核对的指纹</translation>
    </message>
    <message>
        <source>Call the other office and have them read their fingerprint; type what you hear. A card is added only when it matches.</source>
        <translation>请打电话给对方单位，请对方念出指纹，照听到的输入。指纹相符才会添加名片。</translation>
    </message>
    <message>
        <source>This is &amp;another PC of an office already trusted</source>
        <translation>这是已信任单位的另一台电脑(&amp;A)</translation>
    </message>
    <message>
        <source>Office card (*.json)</source>
        <translation>单位名片 (*.json)</translation>
    </message>
</context>
<context>
    <name>AddPeriodDialog</name>
    <message>
        <source>No figure (the test is not applied)</source>
        <translation>不设此数（不做该项检查）</translation>
    </message>
    <message>
        <source>Add a policy period</source>
        <translation>新增政策参数施行期</translation>
    </message>
    <message>
        <source>Enter the figures a document sets and the date they take effect. Figures not listed here keep their earlier values.</source>
        <translation>录入文件规定的数字及其生效日期。此处未列出的参数沿用原值。</translation>
    </message>
    <message>
        <source>Document number, e.g. 宁民发〔2023〕12号</source>
        <translation>文号，例如 宁民发〔2023〕12号</translation>
    </message>
    <message>
        <source>Confirmed (the figures are taken from the document above)</source>
        <translation>已确认（数字取自上述文件）</translation>
    </message>
    <message>
        <source>Effective from:</source>
        <translation>生效日期：</translation>
    </message>
    <message>
        <source>Source (document number):</source>
        <translation>文件依据（文号）：</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>说明：</translation>
    </message>
    <message>
        <source>Figure:</source>
        <translation>参数：</translation>
    </message>
    <message>
        <source>Now:</source>
        <translation>现行：</translation>
    </message>
    <message>
        <source>New value:</source>
        <translation>新值：</translation>
    </message>
    <message>
        <source>Add this figure to the period</source>
        <translation>将此参数加入本期</translation>
    </message>
    <message>
        <source>Remove from the period</source>
        <translation>从本期移除</translation>
    </message>
    <message>
        <source>In this period:</source>
        <translation>本期参数：</translation>
    </message>
    <message>
        <source>OK saves the listed figures, and the figure shown above if you changed it.</source>
        <translation>按“确定”保存列表中的参数；上面正在填写的参数如有改动，也一并保存。</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>未设定</translation>
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
    <name>AlertLevel</name>
    <message>
        <source>Red</source>
        <translation>红</translation>
    </message>
    <message>
        <source>Orange</source>
        <translation>橙</translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation>黄</translation>
    </message>
</context>
<context>
    <name>AlertStatus</name>
    <message>
        <source>Open</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>已知悉</translation>
    </message>
    <message>
        <source>Followed by a visit</source>
        <translation>已入户跟进</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
</context>
<context>
    <name>AlertsPage</name>
    <message>
        <source>Monitoring alerts</source>
        <translation>监测预警</translation>
    </message>
    <message>
        <source>Month:</source>
        <translation>月份：</translation>
    </message>
    <message>
        <source>Run rules for this month</source>
        <translation>运行本月预警规则</translation>
    </message>
    <message>
        <source>Check every household under watch; an alert is raised once and stays until it is closed.</source>
        <translation>检查所有在监测的户；同一预警只生成一次，直到关闭。</translation>
    </message>
    <message>
        <source>Level:</source>
        <translation>等级：</translation>
    </message>
    <message>
        <source>All levels</source>
        <translation>全部等级</translation>
    </message>
    <message>
        <source>Village:</source>
        <translation>村：</translation>
    </message>
    <message>
        <source>All villages</source>
        <translation>全部村</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>知悉</translation>
    </message>
    <message>
        <source>Follow with a visit…</source>
        <translation>入户跟进…</translation>
    </message>
    <message>
        <source>Close with a note…</source>
        <translation>关闭并写明结果…</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>户主</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Raised</source>
        <translation>发现日期</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Your role may not work on alerts.</source>
        <translation>您的角色无权处理预警。</translation>
    </message>
    <message>
        <source>No alert selected.</source>
        <translation>未选择预警。</translation>
    </message>
    <message>
        <source>No open alerts. Run the rules for this month to check every household.</source>
        <translation>没有待处理的预警。可运行本月预警规则检查所有户。</translation>
    </message>
    <message>
        <source>%1 alerts selected: acknowledge them, or close them with one note.</source>
        <translation>已选择 %1 条预警：可一并知悉，或写一条结果一并关闭。</translation>
    </message>
    <message>
        <source>Closed on %1: %2</source>
        <translation>%1 关闭：%2</translation>
    </message>
    <message>
        <source>Checked %1 of %2 households…</source>
        <translation>已检查 %1 / %2 户…</translation>
    </message>
    <message>
        <source>Rules run for %1: %2 new alerts.</source>
        <translation>%1 预警规则已运行：新增 %2 条预警。</translation>
    </message>
    <message>
        <source>Running the monitoring rules for %1…</source>
        <translation>正在运行 %1 的监测预警规则…</translation>
    </message>
    <message>
        <source>Close %1 alerts</source>
        <translation>关闭 %1 条预警</translation>
    </message>
    <message>
        <source>One note closes all %1 selected alerts: %2</source>
        <translation>以下 %1 条所选预警将用同一条结果关闭：%2</translation>
    </message>
    <message>
        <source>%1 alerts closed.</source>
        <translation>已关闭 %1 条预警。</translation>
    </message>
    <message>
        <source>Cancelled; no alerts were raised.</source>
        <translation>已取消，未生成预警。</translation>
    </message>
    <message>
        <source>Not closed</source>
        <translation>未关闭</translation>
    </message>
    <message>
        <source>All, closed included</source>
        <translation>全部（含已关闭）</translation>
    </message>
    <message>
        <source>Alert acknowledged: %1 %2.</source>
        <translation>已知悉预警：%1 %2。</translation>
    </message>
    <message>
        <source>%1 alerts acknowledged.</source>
        <translation>已知悉 %1 条预警。</translation>
    </message>
    <message>
        <source>income: %1</source>
        <translation>收入：%1</translation>
    </message>
    <message>
        <source>concerns: %1</source>
        <translation>问题：%1</translation>
    </message>
    <message>
        <source>This household has no visit yet: record the visit first (入户核查), then follow the alert with it.</source>
        <translation>该户还没有入户核查记录：请先登记入户核查，再用它跟进预警。</translation>
    </message>
    <message>
        <source>Alert followed with the visit of %1.</source>
        <translation>已用 %1 的入户核查跟进预警。</translation>
    </message>
    <message>
        <source>Follow the alert with a visit</source>
        <translation>入户跟进预警</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>入户核查</translation>
    </message>
    <message>
        <source>What was found and what was done, e.g. 已入户核实，已纳入低保申请</source>
        <translation>核实情况及处理结果，如：已入户核实，已纳入低保申请</translation>
    </message>
    <message>
        <source>Alert closed: %1 %2.</source>
        <translation>预警已关闭：%1 %2。</translation>
    </message>
    <message>
        <source>Close the alert</source>
        <translation>关闭预警</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>处理结果</translation>
    </message>
</context>
<context>
    <name>AssistWidgets</name>
    <message>
        <source>Please enter an amount in yuan.</source>
        <translation type="vanished">请填写金额（元）。</translation>
    </message>
    <message>
        <source>The amount must be a number of yuan, e.g. 312.50.</source>
        <translation type="vanished">金额应为元数，如 312.50。</translation>
    </message>
    <message>
        <source>The amount cannot be negative.</source>
        <translation type="vanished">金额不能为负。</translation>
    </message>
    <message>
        <source>The amount can have at most two decimals (fen).</source>
        <translation type="vanished">金额最多两位小数（到分）。</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>AttachmentViewer</name>
    <message>
        <source>Fit to window</source>
        <translation>适合窗口</translation>
    </message>
    <message>
        <source>Actual size</source>
        <translation>实际大小</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>%1 page(s)</source>
        <translation>共 %1 页</translation>
    </message>
    <message>
        <source>pages unknown</source>
        <translation>页数未知</translation>
    </message>
    <message>
        <source>PDF attachment (%1): export it to view it.</source>
        <translation>PDF 附件（%1）：请导出后查看。</translation>
    </message>
    <message>
        <source>This picture cannot be shown.</source>
        <translation>无法显示这张图片。</translation>
    </message>
    <message>
        <source>Export attachment</source>
        <translation>导出附件</translation>
    </message>
    <message>
        <source>Saved to %1.</source>
        <translation>已保存到 %1。</translation>
    </message>
</context>
<context>
    <name>AttachmentsPanel</name>
    <message>
        <source>Add attachments…</source>
        <translation>添加附件…</translation>
    </message>
    <message>
        <source>View</source>
        <translation>查看</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>You can also drop files here.</source>
        <translation>也可以把文件拖到这里。</translation>
    </message>
    <message>
        <source>Save the record first, then attach files to it.</source>
        <translation>请先保存这条记录，再添加附件。</translation>
    </message>
    <message>
        <source>Your role may not change the register.</source>
        <translation>您的角色无权修改户档案。</translation>
    </message>
    <message>
        <source>No attachments yet.</source>
        <translation>尚无附件。</translation>
    </message>
    <message>
        <source>%1 KB</source>
        <translation>%1 KB</translation>
    </message>
    <message>
        <source>Add attachments</source>
        <translation>添加附件</translation>
    </message>
    <message>
        <source>Pictures and PDF (%1)</source>
        <translation>图片和 PDF（%1）</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Attached %1 file(s).</source>
        <translation>已添加 %1 个附件。</translation>
    </message>
    <message>
        <source>Delete attachment</source>
        <translation>删除附件</translation>
    </message>
    <message>
        <source>Delete %1 (%2)? The reason is kept in the audit log.</source>
        <translation>删除 %1（%2）？原因将记入审计日志。</translation>
    </message>
    <message>
        <source>Reason (required):</source>
        <translation>原因（必填）：</translation>
    </message>
    <message>
        <source>Attachment deleted.</source>
        <translation>附件已删除。</translation>
    </message>
</context>
<context>
    <name>CardPage</name>
    <message>
        <source>The card from the county</source>
        <translation>县里给的单位名片</translation>
    </message>
    <message>
        <source>the .json file the county gave you</source>
        <translation>县里给的 .json 文件</translation>
    </message>
    <message>
        <source>C&amp;hoose…</source>
        <translation>选择(&amp;H)…</translation>
    </message>
    <message>
        <source>Card &amp;file:</source>
        <translation>名片文件(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Fingerprint read over the phone:</source>
        <translation type="vanished">电话中念的指纹(&amp;F)：</translation>
    </message>
    <message>
        <source>Fin&amp;gerprint read over the phone:</source>
        <translation>电话中念的指纹(&amp;G)：</translation>
    </message>
    <message>
        <source>&amp;Add the county's card</source>
        <translation>添加县民政局的名片(&amp;A)</translation>
    </message>
    <message>
        <source>This office's card</source>
        <translation>本单位的单位名片</translation>
    </message>
    <message>
        <source>&amp;Save this office's card…</source>
        <translation>保存本单位的名片(&amp;S)…</translation>
    </message>
    <message>
        <source>This PC's card</source>
        <translation>本机名片</translation>
    </message>
    <message>
        <source>The first PC sends the register only to a PC whose card it trusts.</source>
        <translation>第一台电脑只把台账发给它信任其名片的电脑。</translation>
    </message>
    <message>
        <source>Save this PC's card below and give it to the first PC's administrator (and to the county), then read them its fingerprint: they add it on the Data exchange page. The register arrives in the first PC's next package.</source>
        <translation>请保存下面的本机名片，交给第一台电脑的管理员（和县里），并把指纹念给他们：他们在“数据交换”页添加。台账随第一台电脑的下一个数据包到来。</translation>
    </message>
    <message>
        <source>Add the county's card here too, so that this PC can send it packages.</source>
        <translation>也请在这里添加县里的名片，这台电脑才能给县里发数据包。</translation>
    </message>
    <message>
        <source>&amp;Save this PC's card…</source>
        <translation>保存本机名片(&amp;S)…</translation>
    </message>
    <message>
        <source>Townships send their packages only to an office whose card they trust.</source>
        <translation>乡镇只向已信任其名片的单位发送数据包。</translation>
    </message>
    <message>
        <source>Each township adds the county's card before its first package: save the card below on a USB stick, give it to the townships, and read them the fingerprint over the phone. The townships' cards are added on the Data exchange page.</source>
        <translation>各乡镇在发送第一个数据包之前要添加县里的名片：把下面的名片保存到 U 盘交给各乡镇，再打电话把指纹念给他们。乡镇的名片在“数据交换”页面添加。</translation>
    </message>
    <message>
        <source>The county bureau's card</source>
        <translation>县民政局的单位名片</translation>
    </message>
    <message>
        <source>Packages go to the county only once its card is added and checked by its fingerprint.</source>
        <translation>添加县里的名片并核对指纹之后，才能向县里发送数据包。</translation>
    </message>
    <message>
        <source>Choose the card file from the USB stick the county gave you, call the county and type the fingerprint they read out. You can also do this later on the Data exchange page.</source>
        <translation>从县里给的 U 盘中选择名片文件，打电话给县民政局，输入对方念的指纹。也可以以后在“数据交换”页面添加。</translation>
    </message>
    <message>
        <source>%1 (%2). This PC's fingerprint, to read out over the phone:</source>
        <translation>%1（%2）。本机的指纹（电话中念给对方）：</translation>
    </message>
    <message>
        <source>%1 (%2). Its fingerprint, to read out over the phone:</source>
        <translation>%1（%2）。本单位的指纹（电话中念给对方）：</translation>
    </message>
    <message>
        <source>&amp;Finish</source>
        <translation>完成(&amp;F)</translation>
    </message>
    <message>
        <source>Add and &amp;finish</source>
        <translation>添加并完成(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Later</source>
        <translation>以后再说(&amp;L)</translation>
    </message>
    <message>
        <source>Office card (*.json)</source>
        <translation>单位名片 (*.json)</translation>
    </message>
    <message>
        <source>Choose the card file and type the fingerprint first.</source>
        <translation>请先选择名片文件并输入指纹。</translation>
    </message>
    <message>
        <source>%1 is now trusted (fingerprint %2).</source>
        <translation>已信任 %1（指纹 %2）。</translation>
    </message>
    <message>
        <source>Save this office's card</source>
        <translation>保存本单位的名片</translation>
    </message>
    <message>
        <source>Save this PC's card</source>
        <translation>保存本机名片</translation>
    </message>
    <message>
        <source>Saved: %1. Give it to the other office and read them the fingerprint.</source>
        <translation>已保存：%1。请交给对方单位，并在电话中把指纹念给对方。</translation>
    </message>
</context>
<context>
    <name>CarePage</name>
    <message>
        <source>Care ledgers</source>
        <translation>照料关爱台账</translation>
    </message>
    <message>
        <source>Filter by name, head or village</source>
        <translation>按姓名、户主或村筛选</translation>
    </message>
    <message>
        <source>Add record…</source>
        <translation>新增记录…</translation>
    </message>
    <message>
        <source>Your role may not add care records.</source>
        <translation>您的角色无权新增照料记录。</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>户主</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <source>Situation</source>
        <translation>情况</translation>
    </message>
    <message>
        <source>Last record</source>
        <translation>最近记录</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>尚无</translation>
    </message>
    <message>
        <source>Last carer / mode</source>
        <translation>最近照料人 / 方式</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Care mode</source>
        <translation>照料方式</translation>
    </message>
    <message>
        <source>Carer</source>
        <translation>照料人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Family member away</source>
        <translation>外出家庭成员</translation>
    </message>
    <message>
        <source>Problems found</source>
        <translation>发现问题</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>跟进措施</translation>
    </message>
    <message>
        <source>%1 disability, grade %2, %3</source>
        <translation>%1残疾 %2 级 · %3</translation>
    </message>
    <message>
        <source>Records of %1 (%2)</source>
        <translation>%1 的记录（%2 条）</translation>
    </message>
    <message>
        <source>digits, spaces, + and - only</source>
        <translation>只能包含数字、空格、+ 和 -</translation>
    </message>
    <message>
        <source>who is away, where, and how to reach them</source>
        <translation>谁外出、在何处、如何联系</translation>
    </message>
    <message>
        <source>Record added for %1.</source>
        <translation>已为 %1 新增记录。</translation>
    </message>
    <message>
        <source>Add a %1 record</source>
        <translation>新增%1记录</translation>
    </message>
    <message>
        <source>Carer / guardian</source>
        <translation>照料人 / 监护人</translation>
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
        <source>Please enter your current password.</source>
        <translation>请输入原密码。</translation>
    </message>
    <message>
        <source>Changing the password…</source>
        <translation type="vanished">正在修改密码……</translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <source>Village</source>
        <translation>村</translation>
    </message>
    <message>
        <source>Head of household</source>
        <translation>户主</translation>
    </message>
    <message>
        <source>Head's ID number</source>
        <translation>户主身份证号</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Risk</source>
        <translation>风险</translation>
    </message>
    <message>
        <source>Last visit</source>
        <translation>最近核查</translation>
    </message>
    <message>
        <source>Matched</source>
        <translation>匹配成员</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Sheet row</source>
        <translation>表格行号</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变更</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Match</source>
        <translation>比对结果</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>发现问题</translation>
    </message>
    <message>
        <source>Household</source>
        <translation>所在户</translation>
    </message>
    <message>
        <source>Disposition</source>
        <translation>核实结果</translation>
    </message>
</context>
<context>
    <name>Comparison</name>
    <message>
        <source>In the register</source>
        <translation>在台账中</translation>
    </message>
    <message>
        <source>Not in the register</source>
        <translation>不在台账中</translation>
    </message>
    <message>
        <source>Possible match</source>
        <translation>可能是台账中的人</translation>
    </message>
    <message>
        <source>ID number damaged</source>
        <translation>身份证号已损坏</translation>
    </message>
    <message>
        <source>ID number invalid</source>
        <translation>身份证号无效</translation>
    </message>
    <message>
        <source>Deceased, still enrolled</source>
        <translation>死亡仍在保</translation>
    </message>
    <message>
        <source>Possibly missed (in no programme)</source>
        <translation>漏保线索</translation>
    </message>
    <message>
        <source>Disability subsidy missing</source>
        <translation>残疾补贴缺失</translation>
    </message>
    <message>
        <source>Illness not recorded</source>
        <translation>重病未登记</translation>
    </message>
    <message>
        <source>Business owner enrolled</source>
        <translation>经营主体在保</translation>
    </message>
    <message>
        <source>Vehicle owner enrolled</source>
        <translation>有车在保</translation>
    </message>
    <message>
        <source>Property owner enrolled</source>
        <translation>有房产在保</translation>
    </message>
    <message>
        <source>Moved out</source>
        <translation>户籍迁出</translation>
    </message>
    <message>
        <source>Pension not recorded</source>
        <translation>养老金未计入</translation>
    </message>
    <message>
        <source>Employment not recorded</source>
        <translation>就业未登记</translation>
    </message>
    <message>
        <source>Death not recorded</source>
        <translation>死亡未登记</translation>
    </message>
    <message>
        <source>Disability not recorded</source>
        <translation>残疾未登记</translation>
    </message>
    <message>
        <source>High medical expenses</source>
        <translation>医疗支出大</translation>
    </message>
    <message>
        <source>Identity to confirm</source>
        <translation>待确认身份</translation>
    </message>
    <message>
        <source>ID number unusable</source>
        <translation>身份证号无法比对</translation>
    </message>
    <message>
        <source>Name differs</source>
        <translation>姓名不一致</translation>
    </message>
</context>
<context>
    <name>ComparisonPage</name>
    <message>
        <source>Comparison</source>
        <translation>比对</translation>
    </message>
    <message>
        <source>Month:</source>
        <translation>月份：</translation>
    </message>
    <message>
        <source>List from:</source>
        <translation>名单来源：</translation>
    </message>
    <message>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>or drop a department's list (Excel, WPS or CSV) on this page</source>
        <translation>或把部门名单（Excel、WPS 或 CSV）拖到本页</translation>
    </message>
    <message>
        <source>Compare again…</source>
        <translation>重新比对…</translation>
    </message>
    <message>
        <source>Check the columns and compare the same file again</source>
        <translation>核对列后，对同一文件重新比对</translation>
    </message>
    <message>
        <source>Match:</source>
        <translation>比对结果：</translation>
    </message>
    <message>
        <source>Finding:</source>
        <translation>发现问题：</translation>
    </message>
    <message>
        <source>This month's comparisons:</source>
        <translation>本月比对记录：</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>查看</translation>
    </message>
    <message>
        <source>Record result…</source>
        <translation>处理结果…</translation>
    </message>
    <message>
        <source>One result and note for every finding of the selected rows</source>
        <translation>为所选各行的全部问题记录同一核实结果和说明</translation>
    </message>
    <message>
        <source>Open household</source>
        <translation>打开户档案</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>(choose)</source>
        <translation>（请选择）</translation>
    </message>
    <message>
        <source>%1 · %2
%3 by %4 · %5 rows · %6 open</source>
        <translation>%1 · %2
%4 %3 · %5 行 · %6 条待核实</translation>
    </message>
    <message>
        <source>Choose a department's list</source>
        <translation>选择部门名单</translation>
    </message>
    <message>
        <source>Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv)</source>
        <translation>电子表格 (*.xlsx *.xlsm *.xls *.ods *.csv)</translation>
    </message>
    <message>
        <source>Which department sent %1? Choose it under “List from”.</source>
        <translation>%1 是哪个部门的名单？请在“名单来源”中选择。</translation>
    </message>
    <message>
        <source>Comparing %1 with the register…</source>
        <translation>正在将 %1 与台账比对…</translation>
    </message>
    <message>
        <source>Cancelled: nothing was stored.</source>
        <translation>已取消：未保存任何结果。</translation>
    </message>
    <message>
        <source>%1 was already compared this month: its stored result is shown.</source>
        <translation>%1 本月已比对过：显示的是已保存的结果。</translation>
    </message>
    <message>
        <source>%1 · %2 · %3 rows read</source>
        <translation>%1 · %2 · 读取 %3 行</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>All rows</source>
        <translation>全部行</translation>
    </message>
    <message>
        <source> · %1 findings, %2 to check</source>
        <translation> · 问题 %1 条，待核实 %2 条</translation>
    </message>
    <message>
        <source> · showing %1</source>
        <translation> · 显示 %1 行</translation>
    </message>
    <message>
        <source>%1 findings recorded as %2.</source>
        <translation>%1 条问题已记录为“%2”。</translation>
    </message>
    <message>
        <source>Export the comparison</source>
        <translation>导出比对结果</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
</context>
<context>
    <name>CountyOverviewPage</name>
    <message>
        <source>Townships</source>
        <translation>乡镇概况</translation>
    </message>
    <message>
        <source>Township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <source>Last package</source>
        <translation>最近收到数据包</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>报送</translation>
    </message>
    <message>
        <source>late</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>on time</source>
        <translation>按时</translation>
    </message>
    <message>
        <source>Households</source>
        <translation>户数</translation>
    </message>
    <message>
        <source>Dibao households / persons</source>
        <translation>低保 户/人</translation>
    </message>
    <message>
        <source>Tekun households / persons</source>
        <translation>特困 户/人</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月月结</translation>
    </message>
    <message>
        <source>closed %1</source>
        <translation>%1 已月结</translation>
    </message>
    <message>
        <source>open</source>
        <translation>未月结</translation>
    </message>
    <message>
        <source>Overdue visits</source>
        <translation>逾期未核查</translation>
    </message>
    <message>
        <source>Quarantined rows</source>
        <translation>隔离数据</translation>
    </message>
    <message>
        <source>%1 townships; %2 late with their package for %3.</source>
        <translation>共 %1 个乡镇；%2 个乡镇 %3 的数据包逾期未报。</translation>
    </message>
</context>
<context>
    <name>CountyTasksBar</name>
    <message>
        <source>Send a task to the township…</source>
        <translation>向乡镇下发任务…</translation>
    </message>
    <message>
        <source>County task: %1 (by %2)</source>
        <translation>县级任务：%1（%2 前）</translation>
    </message>
    <message>
        <source>answered %1: %2</source>
        <translation>%1 已答复：%2</translation>
    </message>
    <message>
        <source>Answer…</source>
        <translation>答复…</translation>
    </message>
    <message>
        <source>Answer the county's task</source>
        <translation>答复县级任务</translation>
    </message>
    <message>
        <source>What was done:</source>
        <translation>办理情况：</translation>
    </message>
    <message>
        <source>Done on:</source>
        <translation>完成日期：</translation>
    </message>
    <message>
        <source>for example: visit again and check the income</source>
        <translation>例如：再次入户，核实收入</translation>
    </message>
    <message>
        <source>Send a task to the township</source>
        <translation>向乡镇下发任务</translation>
    </message>
    <message>
        <source>The task travels in the county's next package and waits in the township's work queues.</source>
        <translation>任务随县里的下一个数据包送达，在乡镇的工作队列中等待办理。</translation>
    </message>
    <message>
        <source>Task:</source>
        <translation>任务：</translation>
    </message>
    <message>
        <source>Due by:</source>
        <translation>完成期限：</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>Doudi met an error</source>
        <translation>兜底出错了</translation>
    </message>
    <message>
        <source>Something went wrong in Doudi. The data you have saved is safe.

What to do:
1. Close this window and try what you were doing again.
2. If it happens again, make a support bundle (Help → Make a support bundle…, or the command below) and send it to the county's support staff. It holds no household records.
3. If the program no longer responds, close it and open it again.</source>
        <translation>兜底出了一个错误。已经保存的数据是安全的。

怎么办：
1. 关闭这个窗口，再做一次刚才的操作。
2. 如果又出错，请生成技术支持包（帮助 → 生成技术支持包…，或用下面的命令），发给县民政局的技术支持人员。支持包里没有户档案。
3. 如果程序没有反应，请关闭后重新打开。</translation>
    </message>
    <message>
        <source>The details are in the log folder:
%1

Support bundle from the command line:
%2</source>
        <translation>详细情况记在日志文件夹：
%1

用命令行生成技术支持包：
%2</translation>
    </message>
    <message>
        <source>Open the log folder</source>
        <translation>打开日志文件夹</translation>
    </message>
    <message>
        <source>Make a support bundle…</source>
        <translation>生成技术支持包…</translation>
    </message>
    <message>
        <source>The error happened again (%1 times).</source>
        <translation>这个错误又出现了（共 %1 次）。</translation>
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
        <source>This PC joined its office and has no households yet: the register arrives with the first PC's next package (Data exchange page).</source>
        <translation>这台电脑是后加入本单位的，还没有户档案：台账随第一台电脑的下一个数据包到来（见“数据交换”页）。</translation>
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
        <source>Awaiting approval</source>
        <translation type="vanished">待审批</translation>
    </message>
    <message>
        <source>Publicity ended</source>
        <translation type="vanished">公示到期</translation>
    </message>
    <message>
        <source>Taper ending</source>
        <translation type="vanished">渐退到期</translation>
    </message>
    <message>
        <source>To visit this month</source>
        <translation type="vanished">本月待核查</translation>
    </message>
    <message>
        <source>Sent for approval</source>
        <translation type="vanished">报送审批日期</translation>
    </message>
    <message>
        <source>Publicity ended on</source>
        <translation type="vanished">公示截止日期</translation>
    </message>
    <message>
        <source>Last taper month</source>
        <translation type="vanished">渐退最后一月</translation>
    </message>
    <message>
        <source>Last visit</source>
        <translation type="vanished">最近核查</translation>
    </message>
    <message>
        <source>Work queues</source>
        <translation type="vanished">工作队列</translation>
    </message>
    <message>
        <source>Show the queues of one village</source>
        <translation type="vanished">只看一个村的队列</translation>
    </message>
    <message>
        <source>All villages</source>
        <translation type="vanished">全部村</translation>
    </message>
    <message>
        <source>Double-click or press Enter to open the household</source>
        <translation type="vanished">双击或按回车键打开该户</translation>
    </message>
    <message>
        <source>Head of household</source>
        <translation type="vanished">户主</translation>
    </message>
    <message>
        <source>Due</source>
        <translation type="vanished">待办事项</translation>
    </message>
    <message>
        <source>never</source>
        <translation type="vanished">从未</translation>
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
        <source>This office has never been backed up on this PC. Back it up in Settings (Back up now).</source>
        <translation>本单位在这台电脑上还从未备份过。请到“设置”中点“立即备份”。</translation>
    </message>
    <message>
        <source>The last backup is from %1, more than 7 days ago. Back up in Settings (Back up now).</source>
        <translation>上次备份是在 %1，已超过 7 天。请到“设置”中点“立即备份”。</translation>
    </message>
    <message>
        <source>Overdue by %1 days</source>
        <translation>已逾期 %1 天</translation>
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
    <name>DispositionDialog</name>
    <message>
        <source>Choose…</source>
        <translation>请选择…</translation>
    </message>
    <message>
        <source>What was checked, and what was done</source>
        <translation>核实了什么，做了什么处理</translation>
    </message>
    <message>
        <source>(No link)</source>
        <translation>（不关联）</translation>
    </message>
    <message>
        <source>Reading this household's visits, alerts, stops and applications…</source>
        <translation>正在读取该户的走访、预警、停保和申请记录…</translation>
    </message>
    <message>
        <source>Record the result</source>
        <translation>记录核实结果</translation>
    </message>
    <message>
        <source>%1 findings in %2 rows.</source>
        <translation>共 %2 行、%1 条问题。</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>核实结果</translation>
    </message>
    <message>
        <source>Linked record</source>
        <translation>关联记录</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>The visit, alert, stop or application this led to.</source>
        <translation>由此所办的走访、预警、停保或申请。</translation>
    </message>
    <message>
        <source>This household has no visit, alert, stop or application to link yet.</source>
        <translation>该户尚无可关联的走访、预警、停保或申请记录。</translation>
    </message>
    <message>
        <source>Choose the result first.</source>
        <translation>请先选择核实结果。</translation>
    </message>
</context>
<context>
    <name>EnrolmentsPanel</name>
    <message>
        <source>Enrolments</source>
        <translation>救助办理</translation>
    </message>
    <message>
        <source>Income items</source>
        <translation>收入项目</translation>
    </message>
    <message>
        <source>Policy assessment</source>
        <translation>政策测算</translation>
    </message>
    <message>
        <source>Apply for programme…</source>
        <translation>申请救助项目…</translation>
    </message>
    <message>
        <source>Your role may not record applications.</source>
        <translation>您的角色无权登记申请。</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>办理环节</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>Undo last step…</source>
        <translation>撤销上一步……</translation>
    </message>
    <message>
        <source>“%1” undone.</source>
        <translation>已撤销“%1”。</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Covers</source>
        <translation>保障对象</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Monthly (yuan)</source>
        <translation>月金额（元）</translation>
    </message>
    <message>
        <source>Persons</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>Next step:</source>
        <translation>下一步：</translation>
    </message>
    <message>
        <source>Amounts are the total in yuan over the months given (1–12). Record unavoidable medical or disability costs as 刚性支出; the rules decide what is counted or excluded.</source>
        <translation>金额为所填月数（1–12）内的合计（元）。因病、因残的必要支出记为“刚性支出”；哪些计入、哪些不计入由政策规则判断。</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Subtype</source>
        <translation>细项</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>成员</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Months</source>
        <translation>月数</translation>
    </message>
    <message>
        <source>Add item</source>
        <translation>添加一项</translation>
    </message>
    <message>
        <source>Remove item</source>
        <translation>删除所选项</translation>
    </message>
    <message>
        <source>Save income items</source>
        <translation>保存收入项目</translation>
    </message>
    <message>
        <source>Undo changes</source>
        <translation>撤销修改</translation>
    </message>
    <message>
        <source>Your role may not change the register.</source>
        <translation>您的角色无权修改户档案。</translation>
    </message>
    <message>
        <source>Month:</source>
        <translation>月份：</translation>
    </message>
    <message>
        <source>Assess</source>
        <translation>测算</translation>
    </message>
    <message>
        <source>Income, step by step</source>
        <translation>收入核算步骤</translation>
    </message>
    <message>
        <source>Eligible</source>
        <translation>符合</translation>
    </message>
    <message>
        <source>Not eligible</source>
        <translation>不符合</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>发放</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>No enrolment yet. Use “Apply for programme…”.</source>
        <translation>尚无救助记录。请用“申请救助项目…”。</translation>
    </message>
    <message>
        <source>Select an enrolment to see its steps.</source>
        <translation>选中一条救助记录即可查看其办理环节。</translation>
    </message>
    <message>
        <source>Steps of %1</source>
        <translation>%1 的办理环节</translation>
    </message>
    <message>
        <source>This enrolment is finished (%1).</source>
        <translation>该记录已办结（%1）。</translation>
    </message>
    <message>
        <source>Only a reviewer may record “%1”.</source>
        <translation>只有审核人可以办理“%1”。</translation>
    </message>
    <message>
        <source>Your role may not record “%1”.</source>
        <translation>您的角色无权办理“%1”。</translation>
    </message>
    <message>
        <source>Record the step “%1”.</source>
        <translation>登记“%1”环节。</translation>
    </message>
    <message>
        <source>Per-capita monthly income: %1 yuan (%2 persons counted)</source>
        <translation>家庭月人均收入：%1 元（计入 %2 人）</translation>
    </message>
    <message>
        <source>This figure is not confirmed; check it against the county's documents.</source>
        <translation>此数字未确认，请对照县局文件核实。</translation>
    </message>
    <message>
        <source>e.g. 务工, 种植</source>
        <translation>如：务工、种植</translation>
    </message>
    <message>
        <source>Whole household</source>
        <translation>全户</translation>
    </message>
    <message>
        <source> mo.</source>
        <translation> 个月</translation>
    </message>
    <message>
        <source>Item %1: %2</source>
        <translation>第 %1 项：%2</translation>
    </message>
    <message>
        <source>Income items saved; the assessment below is updated.</source>
        <translation>收入项目已保存，政策测算已更新。</translation>
    </message>
    <message>
        <source>单人保: enrol this member alone</source>
        <translation>单人保：只保障该成员</translation>
    </message>
    <message>
        <source>optional; the reviewer can set it on approval</source>
        <translation type="vanished">可不填；审核人批准时确定</translation>
    </message>
    <message>
        <source>Application for %1 recorded.</source>
        <translation>已登记%1申请。</translation>
    </message>
    <message>
        <source>Apply for programme</source>
        <translation>申请救助项目</translation>
    </message>
    <message>
        <source>Optional: the reviewer can set it on approval.</source>
        <translation>可不填：审批时由审核人确定。</translation>
    </message>
    <message>
        <source>Programme</source>
        <translation>救助项目</translation>
    </message>
    <message>
        <source>Applied on</source>
        <translation>申请日期</translation>
    </message>
    <message>
        <source>For</source>
        <translation>保障对象</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Assessment</source>
        <translation>测算</translation>
    </message>
    <message>
        <source>(set on approval)</source>
        <translation>（审批时确定）</translation>
    </message>
    <message>
        <source>%1 parameters in force for %2 are marked 未确认 (unconfirmed): the figures they give must be checked against the county's documents. Reasons that use them are shown in orange.</source>
        <translation>%2 适用的参数中有 %1 项标为“未确认”，须对照县局文件核实（悬停查看）；用到这些参数的理由以橙色显示。</translation>
    </message>
    <message>
        <source>No assessment for %1 yet (enter the members and income).</source>
        <translation>%1 尚无测算结果（请先录入家庭成员和收入）。</translation>
    </message>
    <message>
        <source>Eligible for %1 by the assessment: %2 yuan a month, %3 persons.</source>
        <translation>按测算符合%1：每月 %2 元，%3 人。</translation>
    </message>
    <message>
        <source>Not eligible for %1 by the assessment: %2</source>
        <translation>按测算不符合%1：%2</translation>
    </message>
    <message>
        <source>%1 (%2): record “%3”.</source>
        <translation>%1（%2）：办理“%3”。</translation>
    </message>
    <message>
        <source>%1 days; the notice must stay up at least %2 days (S1 第十九条).</source>
        <translation>共 %1 天；公示期至少 %2 天（审核确认办法第十九条）。</translation>
    </message>
    <message>
        <source>Required when the amount differs from the assessment: the 一事一议 decision (who decided, when, why).</source>
        <translation>金额与测算结果不同时必填：“一事一议”的决定（谁、何时、为何决定）。</translation>
    </message>
    <message>
        <source>一事一议 reason</source>
        <translation>一事一议理由</translation>
    </message>
    <message>
        <source>Assessment for %1: %2 yuan a month, %3 persons, class %4.</source>
        <translation>%1 测算结果：每月 %2 元，%3 人，类别 %4。</translation>
    </message>
    <message>
        <source>The assessment finds the household not eligible for %1 (%2). Approval is possible only case by case (一事一议): enter the amount and the reason.</source>
        <translation>测算结果为不符合%1条件（%2）。只能按“一事一议”批准：请填写金额和理由。</translation>
    </message>
    <message>
        <source>一事一议 reason (required)</source>
        <translation>一事一议理由（必填）</translation>
    </message>
    <message>
        <source>The amount differs from the assessment: write the 一事一议 reason.</source>
        <translation>金额与测算结果不同，请写明“一事一议”的理由。</translation>
    </message>
    <message>
        <source>Required: the reason, which is told to the household in writing.</source>
        <translation>必填：理由（将书面告知当事人）。</translation>
    </message>
    <message>
        <source>Who visited (at least two investigators) and what was found.</source>
        <translation>入户人员（至少两人）及调查情况。</translation>
    </message>
    <message>
        <source>Why the household's income is now above the standard.</source>
        <translation>该户收入超过低保标准的原因。</translation>
    </message>
    <message>
        <source>Check before the home investigation; you may still record it.</source>
        <translation>入户调查前请先核实；仍可登记这一步。</translation>
    </message>
    <message>
        <source>“%1” needs a written reason (it is told to the household).</source>
        <translation type="vanished">“%1”须写明理由（将书面告知当事人）。</translation>
    </message>
    <message>
        <source>“%1” recorded for %2.</source>
        <translation>已登记%2的“%1”环节。</translation>
    </message>
    <message>
        <source>Notice from</source>
        <translation>公示开始</translation>
    </message>
    <message>
        <source>Notice until</source>
        <translation>公示结束</translation>
    </message>
    <message>
        <source>Paid from</source>
        <translation>起始发放月</translation>
    </message>
    <message>
        <source>Monthly amount (yuan)</source>
        <translation>月保障金额（元）</translation>
    </message>
    <message>
        <source>Reason (required)</source>
        <translation>理由（必填）</translation>
    </message>
    <message>
        <source>notice %1 – %2</source>
        <translation>公示 %1 至 %2</translation>
    </message>
    <message>
        <source>taper until %1</source>
        <translation>渐退至 %1</translation>
    </message>
    <message>
        <source>last paid %1</source>
        <translation>末次发放 %1</translation>
    </message>
    <message>
        <source>monthly</source>
        <translation>按月</translation>
    </message>
    <message>
        <source>one-off</source>
        <translation>一次性</translation>
    </message>
    <message>
        <source>Back to 在保…</source>
        <translation>恢复在保…</translation>
    </message>
    <message>
        <source>Approve (在保)…</source>
        <translation>审批通过（纳入保障）…</translation>
    </message>
    <message>
        <source>Undo the last step</source>
        <translation>撤销上一步</translation>
    </message>
    <message>
        <source>%1: undo “%2”, recorded by mistake. The enrolment returns to the step before it; the undo and its reason are kept in the change log.</source>
        <translation>%1：撤销误登记的“%2”。救助记录回到上一个环节；撤销及其理由记入变更记录。</translation>
    </message>
    <message>
        <source>Required: what was recorded wrongly.</source>
        <translation>必填：哪里登记错了。</translation>
    </message>
    <message>
        <source>Write why the step is undone.</source>
        <translation>请写明撤销的理由。</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Unexpected error</source>
        <translation type="vanished">意外错误</translation>
    </message>
    <message>
        <source>Something went wrong. Your saved data is safe.
If it happens again, press "Copy details" and send the text to your county support staff.</source>
        <translation type="vanished">程序出现了问题，已保存的数据不受影响。
如果再次出现，请点击“复制详情”，把内容发给县里的技术支持人员。</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation type="vanished">复制详情</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation type="vanished">已复制</translation>
    </message>
</context>
<context>
    <name>ExchangePage</name>
    <message>
        <source>Data exchange</source>
        <translation>数据交换</translation>
    </message>
    <message>
        <source>Export packages…</source>
        <translation>导出数据包…</translation>
    </message>
    <message>
        <source>Import a package…</source>
        <translation>导入数据包…</translation>
    </message>
    <message>
        <source>Save our card…</source>
        <translation>保存本单位名片…</translation>
    </message>
    <message>
        <source>Add an office's card…</source>
        <translation>添加对方单位名片…</translation>
    </message>
    <message>
        <source>Only the administrator adds or revokes offices.</source>
        <translation>只有管理员可以添加或吊销往来单位。</translation>
    </message>
    <message>
        <source>Drop a package file (%1) anywhere on this page to import it.</source>
        <translation>把数据包文件（%1）拖到本页任意位置即可导入。</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>指纹</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>添加日期</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>revoked %1</source>
        <translation>%1 已吊销</translation>
    </message>
    <message>
        <source>trusted</source>
        <translation>已信任</translation>
    </message>
    <message>
        <source>Offices</source>
        <translation>往来单位</translation>
    </message>
    <message>
        <source>Revoke…</source>
        <translation>吊销…</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>received</source>
        <translation>收到</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>发出</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Hub</source>
        <translation>中转站</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>回执</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Packages</source>
        <translation>数据包记录</translation>
    </message>
    <message>
        <source>From</source>
        <translation>来自</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>数据表</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Quarantine</source>
        <translation>隔离数据</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重新核对</translation>
    </message>
    <message>
        <source>Set aside…</source>
        <translation>驳回…</translation>
    </message>
    <message>
        <source>Kept version</source>
        <translation>现有版本</translation>
    </message>
    <message>
        <source>Other version</source>
        <translation>另一版本</translation>
    </message>
    <message>
        <source>What differs</source>
        <translation>不同之处</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>Keep this version</source>
        <translation>保留现有版本</translation>
    </message>
    <message>
        <source>Take the other version</source>
        <translation>采用另一版本</translation>
    </message>
    <message>
        <source>uploaded %1</source>
        <translation>已上传 %1</translation>
    </message>
    <message>
        <source>downloaded %1</source>
        <translation>已下载 %1</translation>
    </message>
    <message>
        <source>county</source>
        <translation>县级</translation>
    </message>
    <message>
        <source>township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <source>this office's other PC</source>
        <translation>本单位另一台电脑</translation>
    </message>
    <message>
        <source>%1, another PC</source>
        <translation>%1（另一台电脑）</translation>
    </message>
    <message>
        <source>%1 (%2) — our fingerprint: %3</source>
        <translation>%1（%2）— 本单位指纹：%3</translation>
    </message>
    <message>
        <source>Changes not yet acknowledged: %1</source>
        <translation>尚未确认收到的更改：%1</translation>
    </message>
    <message>
        <source>Writing packages…</source>
        <translation>正在写入数据包…</translation>
    </message>
    <message>
        <source>Cancelled: no package was written.</source>
        <translation>已取消：没有写出任何数据包。</translation>
    </message>
    <message>
        <source>No trusted office to send to: add the county's card first.</source>
        <translation>没有可发送的往来单位：请先添加县民政局的单位名片。</translation>
    </message>
    <message>
        <source>Written: %1</source>
        <translation>已写入：%1</translation>
    </message>
    <message>
        <source>Import a package</source>
        <translation>导入数据包</translation>
    </message>
    <message>
        <source>Doudi packages (*%1)</source>
        <translation>兜底数据包 (*%1)</translation>
    </message>
    <message>
        <source>Checking and applying %1…</source>
        <translation>正在核对并导入 %1…</translation>
    </message>
    <message>
        <source>Cancelled: nothing was imported.</source>
        <translation>已取消：没有导入任何内容。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Save our card</source>
        <translation>保存本单位名片</translation>
    </message>
    <message>
        <source>card</source>
        <translation>单位名片</translation>
    </message>
    <message>
        <source>Office card (*.json)</source>
        <translation>单位名片 (*.json)</translation>
    </message>
    <message>
        <source>Card saved to %1. Give it to the other office and read them the fingerprint %2.</source>
        <translation>名片已保存到 %1。请把它交给对方单位，并在电话中念出指纹 %2。</translation>
    </message>
    <message>
        <source>%1 is now trusted.</source>
        <translation>已信任 %1。</translation>
    </message>
    <message>
        <source>%1 was already trusted.</source>
        <translation>%1 早已在信任列表中。</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>吊销</translation>
    </message>
    <message>
        <source>Refuse every package %1 signs from now on (for example, its PC was stolen)?</source>
        <translation>从现在起拒收 %1 签名的所有数据包（例如其电脑被盗）？</translation>
    </message>
    <message>
        <source>%1 is revoked.</source>
        <translation>%1 已吊销。</translation>
    </message>
    <message>
        <source>The row was applied.</source>
        <translation>该行已导入。</translation>
    </message>
    <message>
        <source>Set aside</source>
        <translation>驳回</translation>
    </message>
    <message>
        <source>Why (the sender corrects it at source):</source>
        <translation>原因（由发送方在源头更正）：</translation>
    </message>
    <message>
        <source>Set aside.</source>
        <translation>已驳回。</translation>
    </message>
    <message>
        <source>The conflict is settled.</source>
        <translation>冲突已处理。</translation>
    </message>
</context>
<context>
    <name>ExportTarget</name>
    <message>
        <source>Export packages</source>
        <translation>导出数据包</translation>
    </message>
    <message>
        <source>Write the packages to:</source>
        <translation>把数据包写到：</translation>
    </message>
    <message>
        <source>USB drive %1 (%2)</source>
        <translation>U 盘 %1（%2）</translation>
    </message>
    <message>
        <source>Last folder: %1</source>
        <translation>上次的文件夹：%1</translation>
    </message>
    <message>
        <source>No USB drive found: plug one in, or choose a folder.</source>
        <translation>没有找到 U 盘：请插入 U 盘，或选择一个文件夹。</translation>
    </message>
    <message>
        <source>Another folder…</source>
        <translation>其他文件夹…</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>选择文件夹</translation>
    </message>
</context>
<context>
    <name>Fields</name>
    <message>
        <source>Village</source>
        <translation>所在村</translation>
    </message>
    <message>
        <source>Village group</source>
        <translation>村民小组</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Head of household</source>
        <translation>户主</translation>
    </message>
    <message>
        <source>Categories</source>
        <translation>户类别</translation>
    </message>
    <message>
        <source>Risk level</source>
        <translation>风险等级</translation>
    </message>
    <message>
        <source>Urban or rural</source>
        <translation>城乡</translation>
    </message>
    <message>
        <source>Monthly watch</source>
        <translation>每月核查</translation>
    </message>
    <message>
        <source>Causes of poverty</source>
        <translation>致贫原因</translation>
    </message>
    <message>
        <source>Housing</source>
        <translation>住房情况</translation>
    </message>
    <message>
        <source>Bank</source>
        <translation>开户行</translation>
    </message>
    <message>
        <source>Bank account</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>Relative of an official</source>
        <translation>近亲属备案</translation>
    </message>
    <message>
        <source>Relative-of-official note</source>
        <translation>近亲属备案说明</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>归档</translation>
    </message>
    <message>
        <source>Reason for archiving</source>
        <translation>归档原因</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Relation to head</source>
        <translation>与户主关系</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Ethnicity</source>
        <translation>民族</translation>
    </message>
    <message>
        <source>Labour ability</source>
        <translation>劳动能力</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>健康状况</translation>
    </message>
    <message>
        <source>Serious illness</source>
        <translation>重特大疾病</translation>
    </message>
    <message>
        <source>Disability type</source>
        <translation>残疾类别</translation>
    </message>
    <message>
        <source>Disability grade</source>
        <translation>残疾等级</translation>
    </message>
    <message>
        <source>Disability certificate</source>
        <translation>残疾证号</translation>
    </message>
    <message>
        <source>Schooling</source>
        <translation>在学情况</translation>
    </message>
    <message>
        <source>Medical insurance</source>
        <translation>医疗保险</translation>
    </message>
    <message>
        <source>Pension insurance</source>
        <translation>养老保险</translation>
    </message>
    <message>
        <source>Self-care</source>
        <translation>自理能力</translation>
    </message>
    <message>
        <source>Left behind</source>
        <translation>留守类型</translation>
    </message>
    <message>
        <source>Employed</source>
        <translation>就业</translation>
    </message>
    <message>
        <source>Date of death</source>
        <translation>死亡日期</translation>
    </message>
</context>
<context>
    <name>GuideDialog</name>
    <message>
        <source>User guide</source>
        <translation>使用指南</translation>
    </message>
    <message>
        <source>Doudi can be used from the keyboard. The shortcuts:</source>
        <translation>兜底可以全程用键盘操作。快捷键如下：</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>What it does</source>
        <translation>作用</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>快捷键</translation>
    </message>
</context>
<context>
    <name>HandoverAcceptDialog</name>
    <message>
        <source>Register a household moving in</source>
        <translation>接收迁入户</translation>
    </message>
    <message>
        <source>From %1, approved by the county bureau on %2: %3. Members: %4</source>
        <translation>由%1迁入，县民政局%2批准：%3。成员：%4</translation>
    </message>
    <message>
        <source>Village:</source>
        <translation>所在村：</translation>
    </message>
    <message>
        <source>Registered on:</source>
        <translation>接收日期：</translation>
    </message>
</context>
<context>
    <name>HandoverBar</name>
    <message>
        <source>Move to another township…</source>
        <translation>跨乡镇迁移…</translation>
    </message>
    <message>
        <source>Move out…</source>
        <translation>办理迁出…</translation>
    </message>
    <message>
        <source>Withdraw the move…</source>
        <translation>撤回迁移…</translation>
    </message>
    <message>
        <source>Move to %1 approved on %2: %3</source>
        <translation>已批准迁往%1（%2）：%3</translation>
    </message>
    <message>
        <source>The county bureau approved the move to %1 (%2): %3</source>
        <translation>县民政局已批准迁往%1（%2）：%3</translation>
    </message>
    <message>
        <source>Moved out to %1 on %2</source>
        <translation type="vanished">已于%2迁出至%1</translation>
    </message>
    <message>
        <source>Moved out to %1 on %2 (%3)</source>
        <translation>已于%2迁往%1（%3）</translation>
    </message>
    <message>
        <source>for example: joins a son's household there</source>
        <translation>例如：投靠子女</translation>
    </message>
    <message>
        <source>Move the household to another township</source>
        <translation>跨乡镇迁移</translation>
    </message>
    <message>
        <source>The decision travels in the county's next packages to both townships: the new one registers the family, the old one stops its assistance and archives the household.</source>
        <translation>批准后随县里的下一个数据包发给两个乡镇：迁入乡镇登记该户，迁出乡镇停发救助并将该户归档。</translation>
    </message>
    <message>
        <source>Moves to:</source>
        <translation>迁往：</translation>
    </message>
    <message>
        <source>Approved on:</source>
        <translation>批准日期：</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>迁移原因：</translation>
    </message>
    <message>
        <source>Move the household out</source>
        <translation>办理迁出</translation>
    </message>
    <message>
        <source>Its assistance stops from next month and the household is archived as moved out; it can no longer be edited here.</source>
        <translation>该户的救助从下月起停发，户档案以“迁出”归档，此后本乡镇不能再修改。</translation>
    </message>
    <message>
        <source>Moved out on:</source>
        <translation>迁出日期：</translation>
    </message>
    <message>
        <source>for example: the family decided to stay</source>
        <translation>例如：该户决定不迁了</translation>
    </message>
    <message>
        <source>Withdraw the move to another township</source>
        <translation>撤回跨乡镇迁移</translation>
    </message>
    <message>
        <source>Neither township has acted on it yet. The withdrawal travels in the county's next packages to both townships, and the move leaves their queues.</source>
        <translation>两个乡镇都还没有办理。撤回随县的下一个包发给两个乡镇，迁移从它们的待办中消失。</translation>
    </message>
</context>
<context>
    <name>HouseholdEditor</name>
    <message>
        <source>Grade %1</source>
        <translation>%1 级</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Household of %1</source>
        <translation>户档案：%1</translation>
    </message>
    <message>
        <source>New household</source>
        <translation>新增户</translation>
    </message>
    <message>
        <source>Household and members</source>
        <translation>户信息与家庭成员</translation>
    </message>
    <message>
        <source>Assistance</source>
        <translation>救助</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>入户核查记录</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>History</source>
        <translation>变更记录</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation>恢复(&amp;R)</translation>
    </message>
    <message>
        <source>Rural</source>
        <translation>农村</translation>
    </message>
    <message>
        <source>Urban</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>Under watch: visit every month</source>
        <translation>纳入每月核查</translation>
    </message>
    <message>
        <source>Relative of a village cadre or office staff (近亲属备案)</source>
        <translation>村干部或经办人近亲属（近亲属备案）</translation>
    </message>
    <message>
        <source>Name and post of the related official</source>
        <translation>相关干部的姓名和职务</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>所在村</translation>
    </message>
    <message>
        <source>Village group</source>
        <translation>村民小组</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Risk</source>
        <translation>风险</translation>
    </message>
    <message>
        <source>Standard</source>
        <translation>城乡</translation>
    </message>
    <message>
        <source>Bank</source>
        <translation>开户行</translation>
    </message>
    <message>
        <source>Account number</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>Categories</source>
        <translation>户类别</translation>
    </message>
    <message>
        <source>Causes of poverty</source>
        <translation>致贫原因</translation>
    </message>
    <message>
        <source>Housing</source>
        <translation>住房</translation>
    </message>
    <message>
        <source>Registration</source>
        <translation>备案</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Urban by its division code</source>
        <translation>按区划代码为城市</translation>
    </message>
    <message>
        <source>Rural by its division code</source>
        <translation>按区划代码为农村</translation>
    </message>
    <message>
        <source>Urban by its division code; changed by hand to rural</source>
        <translation>按区划代码为城市；已手动改为农村</translation>
    </message>
    <message>
        <source>Rural by its division code; changed by hand to urban</source>
        <translation>按区划代码为农村；已手动改为城市</translation>
    </message>
    <message>
        <source>Add &amp;member</source>
        <translation>添加成员(&amp;M)</translation>
    </message>
    <message>
        <source>Ctrl+M</source>
        <translation>Ctrl+M</translation>
    </message>
    <message>
        <source>&amp;Remove member</source>
        <translation>删除成员(&amp;R)</translation>
    </message>
    <message>
        <source>Open that household</source>
        <translation>打开该户</translation>
    </message>
    <message>
        <source>Members (the head's relation is 本人; birth date, sex and age come from the ID number)</source>
        <translation>家庭成员（户主的“与户主关系”填“本人”；出生日期、性别、年龄由身份证号自动得出）</translation>
    </message>
    <message>
        <source>Their version has been loaded. Your changes were not saved; they are still on screen. Check them and save again.</source>
        <translation>已载入他人保存的版本。您的修改没有保存，仍留在屏幕上；请核对后再保存一次。</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Ctrl+S</source>
        <translation>Ctrl+S</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>&amp;Archive…</source>
        <translation>归档(&amp;A)…</translation>
    </message>
    <message>
        <source>Archived: %1</source>
        <translation>已归档：%1</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>变更内容</translation>
    </message>
    <message>
        <source>no name yet</source>
        <translation>姓名未填</translation>
    </message>
    <message>
        <source>Member %1 (%2): ID number: %3</source>
        <translation>第 %1 名成员（%2）：身份证号：%3</translation>
    </message>
    <message>
        <source>Archive household</source>
        <translation>归档户</translation>
    </message>
    <message>
        <source>Reason for archiving (required):</source>
        <translation>归档原因（必填）：</translation>
    </message>
    <message>
        <source>Discard changes?</source>
        <translation>放弃修改？</translation>
    </message>
    <message>
        <source>This household has unsaved changes. Close without saving?</source>
        <translation>本户有尚未保存的修改。不保存就关闭吗？</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>HouseholdPicker</name>
    <message>
        <source>Visit another household</source>
        <translation>核查其他户</translation>
    </message>
    <message>
        <source>Name, ID number or pinyin initials of anyone in the household</source>
        <translation>户内任一成员的姓名、身份证号或拼音首字母</translation>
    </message>
    <message>
        <source>Type at least one character.</source>
        <translation>请至少输入一个字。</translation>
    </message>
    <message>
        <source>Visit this household</source>
        <translation>核查这一户</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>No one found.</source>
        <translation>没有找到。</translation>
    </message>
    <message>
        <source>Choose a household from the list.</source>
        <translation>请从列表中选一户。</translation>
    </message>
</context>
<context>
    <name>HouseholdsPage</name>
    <message>
        <source>Search: name, pinyin initials (zs) or part of an ID number</source>
        <translation>查找：姓名、拼音首字母（如 zs）或身份证号的任意几位</translation>
    </message>
    <message>
        <source>All villages</source>
        <translation>全部村</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>Any risk</source>
        <translation>全部风险</translation>
    </message>
    <message>
        <source>Risk %1 or higher</source>
        <translation>风险“%1”及以上</translation>
    </message>
    <message>
        <source>Not visited this month</source>
        <translation>本月未核查</translation>
    </message>
    <message>
        <source>Households under watch with no visit recorded in the current month</source>
        <translation>纳入每月核查、本月尚无核查记录的户</translation>
    </message>
    <message>
        <source>Show archived</source>
        <translation>显示已归档</translation>
    </message>
    <message>
        <source>Only the archived households; open one to restore it</source>
        <translation>只显示已归档的户；打开某户即可恢复</translation>
    </message>
    <message>
        <source>&amp;New household</source>
        <translation>新增户(&amp;N)</translation>
    </message>
    <message>
        <source>Ctrl+N</source>
        <translation>Ctrl+N</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>打开(&amp;O)</translation>
    </message>
    <message>
        <source>Enter or double-click</source>
        <translation>回车或双击</translation>
    </message>
    <message>
        <source>&amp;Archive…</source>
        <translation>归档(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Export to Excel…</source>
        <translation>导出 Excel(&amp;E)…</translation>
    </message>
    <message>
        <source>The list could not be loaded.</source>
        <translation>列表未能载入。</translation>
    </message>
    <message>
        <source>More than %1 people match; showing %2 households. Keep typing to narrow the search.</source>
        <translation>匹配超过 %1 人，仅显示 %2 户；请继续输入以缩小范围。</translation>
    </message>
    <message>
        <source>%1 households</source>
        <translation>共 %1 户</translation>
    </message>
    <message>
        <source>Saved: the household of %1.</source>
        <translation>已保存：%1 户。</translation>
    </message>
    <message>
        <source>Saved: the household of %1. The current search or filters do not show it.</source>
        <translation>已保存：%1 户。当前查找或筛选条件下不显示该户。</translation>
    </message>
    <message>
        <source>The household of %1 was archived.</source>
        <translation>%1 户已归档。</translation>
    </message>
    <message>
        <source>Exporting %1 households…</source>
        <translation>正在导出 %1 户……</translation>
    </message>
    <message>
        <source>Archive household</source>
        <translation type="vanished">归档户</translation>
    </message>
    <message>
        <source>Why is the household of %1 archived (moved away, all members deceased, merged…)?</source>
        <translation type="vanished">%1 户为何归档（迁出、全户死亡、并户……）？</translation>
    </message>
    <message>
        <source>households</source>
        <translation>户档案</translation>
    </message>
    <message>
        <source>Export to Excel</source>
        <translation>导出 Excel</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
    <message>
        <source>The file could not be written: %1</source>
        <translation>文件未能写入：%1</translation>
    </message>
</context>
<context>
    <name>HubPanel</name>
    <message>
        <source>County hub</source>
        <translation>县级数据中转站</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Sync automatically every</source>
        <translation>自动同步间隔</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Certificate…</source>
        <translation>证书…</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Only the administrator sets the county hub.</source>
        <translation>只有管理员能设置县级数据中转站。</translation>
    </message>
    <message>
        <source>The county's own TLS certificate, SHA-256 %1</source>
        <translation>县里自签的 TLS 证书，SHA-256 %1</translation>
    </message>
    <message>
        <source>Only for an https address whose certificate the county made itself.</source>
        <translation>仅当 https 地址使用县里自签的证书时需要。</translation>
    </message>
    <message>
        <source>No county hub is set: packages travel by USB drive or shared folder.</source>
        <translation>未设置县级数据中转站：数据包通过 U 盘或共享文件夹传递。</translation>
    </message>
    <message>
        <source>Last successful sync: %1</source>
        <translation>上次成功同步：%1</translation>
    </message>
    <message>
        <source>Not synced yet.</source>
        <translation>尚未同步。</translation>
    </message>
    <message>
        <source>last attempt: %1</source>
        <translation>上次尝试：%1</translation>
    </message>
    <message>
        <source>Set the county hub's address first.</source>
        <translation>请先设置县级数据中转站地址。</translation>
    </message>
    <message>
        <source>County hub saved: %1. Automatic sync is off: to turn it on, set “Sync automatically every” to a number of minutes and press Save.</source>
        <translation>已保存县级数据中转站：%1。自动同步已关闭：要开启，请在“自动同步间隔”中填写分钟数，再点“保存”。</translation>
    </message>
    <message>
        <source>County hub saved: %1</source>
        <translation>已保存县级数据中转站：%1</translation>
    </message>
    <message>
        <source>County hub removed: automatic sync is off.</source>
        <translation>已取消县级数据中转站，自动同步已关闭。</translation>
    </message>
    <message>
        <source>The county hub's certificate</source>
        <translation>县级数据中转站的证书</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer)</source>
        <translation>证书 (*.pem *.crt *.cer)</translation>
    </message>
    <message>
        <source>Certificate saved. Read its fingerprint to the county to compare: %1</source>
        <translation>证书已保存。请与县里电话核对指纹：%1</translation>
    </message>
    <message>
        <source>Syncing with the county hub…</source>
        <translation>正在与县级数据中转站同步…</translation>
    </message>
    <message>
        <source>Package %1 was not imported: %2</source>
        <translation type="vanished">数据包 %1 未能导入：%2</translation>
    </message>
    <message>
        <source>Synced with the county hub: %1 received, %2 sent.</source>
        <translation>已与县级数据中转站同步：收到 %1 个，发出 %2 个数据包。</translation>
    </message>
    <message>
        <source>Sync cancelled: what was already sent or imported stays; the rest goes next time.</source>
        <translation>同步已取消：已发送或已导入的保留，其余下次再传。</translation>
    </message>
</context>
<context>
    <name>HubStatusIndicator</name>
    <message>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
</context>
<context>
    <name>InstructionsDialog</name>
    <message>
        <source>Instructions</source>
        <translation type="vanished">使用说明</translation>
    </message>
    <message>
        <source>Doudi can be used from the keyboard. The shortcuts:</source>
        <translation type="vanished">兜底可以全程用键盘操作。快捷键如下：</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation type="vanished">按键</translation>
    </message>
    <message>
        <source>What it does</source>
        <translation type="vanished">作用</translation>
    </message>
</context>
<context>
    <name>JoinPage</name>
    <message>
        <source>Join an office that already uses Doudi</source>
        <translation>加入已在使用兜底的单位</translation>
    </message>
    <message>
        <source>On the first PC, the administrator saves its card (Data exchange page) and reads you its fingerprint.</source>
        <translation>请第一台电脑的管理员在“数据交换”页保存名片，并把指纹念给你。</translation>
    </message>
    <message>
        <source>the first PC's .json card file</source>
        <translation>第一台电脑的名片文件（.json）</translation>
    </message>
    <message>
        <source>C&amp;hoose…</source>
        <translation>选择(&amp;H)…</translation>
    </message>
    <message>
        <source>First PC's card &amp;file:</source>
        <translation>第一台电脑的名片文件(&amp;F)：</translation>
    </message>
    <message>
        <source>Its fin&amp;gerprint:</source>
        <translation>它的指纹(&amp;G)：</translation>
    </message>
    <message>
        <source>The first PC's card</source>
        <translation>第一台电脑的名片</translation>
    </message>
    <message>
        <source>Office card (*.json)</source>
        <translation>单位名片 (*.json)</translation>
    </message>
    <message>
        <source>This PC will join %1 (%2).</source>
        <translation>这台电脑将加入 %1（%2）。</translation>
    </message>
</context>
<context>
    <name>LedgerImportWizard</name>
    <message>
        <source>Import a ledger</source>
        <translation>导入台账</translation>
    </message>
    <message>
        <source>&lt; Back</source>
        <translation>&lt; 上一步</translation>
    </message>
    <message>
        <source>Next &gt;</source>
        <translation>下一步 &gt;</translation>
    </message>
    <message>
        <source>Choose the Excel, WPS or CSV ledger (花名册, 台账) to import. Households are formed from the head of household and relation columns; nothing is written before the last step.</source>
        <translation>选择要导入的 Excel、WPS 或 CSV 台账（花名册、台账）。按户主和与户主关系列组成家庭；最后一步之前不会写入任何数据。</translation>
    </message>
    <message>
        <source>or drop the file on this window</source>
        <translation>或把文件拖到本窗口</translation>
    </message>
    <message>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>From a column or the title</source>
        <translation>按表中的列或标题</translation>
    </message>
    <message>
        <source>The programme of the enrolments, when the file has no programme column</source>
        <translation>文件中没有救助类型列时，导入的保障记录所属的救助项目</translation>
    </message>
    <message>
        <source>Programme:</source>
        <translation>救助项目：</translation>
    </message>
    <message>
        <source>Registered records this import would change:</source>
        <translation>本次导入将修改的已登记记录：</translation>
    </message>
    <message>
        <source>Export invalid rows…</source>
        <translation>导出无效行…</translation>
    </message>
    <message>
        <source>An Excel file of these rows, to fix and import again</source>
        <translation>把这些行导出为 Excel，改正后可再次导入</translation>
    </message>
    <message>
        <source>Step 1 of 4: the file</source>
        <translation>第 1 步（共 4 步）：选择文件</translation>
    </message>
    <message>
        <source>Step 2 of 4: the columns</source>
        <translation>第 2 步（共 4 步）：核对列</translation>
    </message>
    <message>
        <source>Step 3 of 4: dry run (nothing written yet)</source>
        <translation>第 3 步（共 4 步）：试导入（尚未写入）</translation>
    </message>
    <message>
        <source>Step 4 of 4: imported</source>
        <translation>第 4 步（共 4 步）：导入完成</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Choose a ledger</source>
        <translation>选择台账</translation>
    </message>
    <message>
        <source>Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv)</source>
        <translation>电子表格 (*.xlsx *.xlsm *.xls *.ods *.csv)</translation>
    </message>
    <message>
        <source>Reading the ledger…</source>
        <translation>正在读取台账…</translation>
    </message>
    <message>
        <source>%1 households and %2 members can be imported: %3 records would be created and %4 updated. %5 rows cannot be imported (listed below); the others are imported without them.</source>
        <translation>可导入 %1 户、%2 人：将新建 %3 条记录，更新 %4 条。%5 行无法导入（见下表），其余各行照常导入。</translation>
    </message>
    <message>
        <source>Importing the ledger…</source>
        <translation>正在导入台账…</translation>
    </message>
    <message>
        <source>Cancelled: nothing was imported.</source>
        <translation>已取消：未导入任何数据。</translation>
    </message>
    <message>
        <source>Imported %1 households and %2 members: %3 records created, %4 updated. %5 rows were not imported.</source>
        <translation>已导入 %1 户、%2 人：新建 %3 条记录，更新 %4 条。%5 行未导入。</translation>
    </message>
    <message>
        <source>invalid rows</source>
        <translation>无效行</translation>
    </message>
    <message>
        <source>Export invalid rows</source>
        <translation>导出无效行</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <source>Doudi is locked</source>
        <translation>兜底已锁定</translation>
    </message>
    <message>
        <source>Locked by hand (Ctrl+L). Your open work is kept. Enter the password of %1 to continue.</source>
        <translation>已手动锁定（Ctrl+L），打开的内容都还在。请输入 %1 的密码继续。</translation>
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
        <source>Creating a demo office with made-up households…</source>
        <translation>正在建立演示单位（虚构的户）……</translation>
    </message>
    <message>
        <source>Demo office: users clerk, reviewer and admin, password doudi-demo-2021. Nothing in it is real.</source>
        <translation>演示单位：用户 clerk（经办人）、reviewer（审核人）和 admin（管理员），密码 doudi-demo-2021。其中的人和数据都是虚构的。</translation>
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
        <source>Alerts</source>
        <translation>预警</translation>
    </message>
    <message>
        <source>Monthly close</source>
        <translation>月结</translation>
    </message>
    <message>
        <source>Care ledgers</source>
        <translation>照料台账</translation>
    </message>
    <message>
        <source>Policy parameters</source>
        <translation>政策参数</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户管理</translation>
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
        <source>Townships</source>
        <translation>乡镇概况</translation>
    </message>
    <message>
        <source>Policy what-if</source>
        <translation>政策测算</translation>
    </message>
    <message>
        <source>Doudi — %1</source>
        <translation>兜底 — %1</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Import a ledger…</source>
        <translation>导入台账…</translation>
    </message>
    <message>
        <source>&amp;User</source>
        <translation>用户(&amp;U)</translation>
    </message>
    <message>
        <source>Lock now</source>
        <translation>立即锁定</translation>
    </message>
    <message>
        <source>Change my password…</source>
        <translation>修改我的密码……</translation>
    </message>
    <message>
        <source>Sign out / switch user</source>
        <translation>退出登录 / 切换用户</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>User guide…</source>
        <translation>使用指南…</translation>
    </message>
    <message>
        <source>Make a support bundle…</source>
        <translation>生成技术支持包…</translation>
    </message>
    <message>
        <source>Instructions…</source>
        <translation type="vanished">使用说明……</translation>
    </message>
    <message>
        <source>About Doudi…</source>
        <translation>关于兜底…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Database upgraded</source>
        <translation>数据库已升级</translation>
    </message>
    <message>
        <source>This office's database was upgraded from version %1 to version %2 for this version of Doudi.
A backup was made first, in:
%3</source>
        <translation>为配合这一版兜底，本单位数据库已从版本 %1 升级到版本 %2。
升级前已先备份到：
%3</translation>
    </message>
    <message>
        <source>User: %1</source>
        <translation>用户：%1</translation>
    </message>
    <message>
        <source>User: %1 (%2)</source>
        <translation type="vanished">用户：%1（%2）</translation>
    </message>
    <message>
        <source>Unsent changes: …</source>
        <translation>未报送更改：……</translation>
    </message>
    <message>
        <source>Unsent changes: ?</source>
        <translation>未报送更改：？</translation>
    </message>
    <message>
        <source>Close of %1 overdue by %2 days (due %3)</source>
        <translation>%1 月结已逾期 %2 天（截止 %3）</translation>
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
    <message>
        <source>Automatic backup failed: %1</source>
        <translation>自动备份失败：%1</translation>
    </message>
</context>
<context>
    <name>MappingDialog</name>
    <message>
        <source>Columns of %1</source>
        <translation>%1 的列</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比对</translation>
    </message>
</context>
<context>
    <name>MappingWidget</name>
    <message>
        <source>Sheet:</source>
        <translation>工作表：</translation>
    </message>
    <message>
        <source>Columns (* required; highlighted: please check)</source>
        <translation>各列（* 为必填；底色标出的请核对）</translation>
    </message>
    <message>
        <source>First rows of data:</source>
        <translation>前几行数据：</translation>
    </message>
    <message>
        <source>(no title)</source>
        <translation>（无标题）</translation>
    </message>
    <message>
        <source>Title: %1 · header in row %2</source>
        <translation>标题：%1 · 表头在第 %2 行</translation>
    </message>
    <message>
        <source>(not in this file)</source>
        <translation>（文件中没有）</translation>
    </message>
    <message>
        <source>Guessed from a similar header: please check</source>
        <translation>按相近的表头猜测，请核对</translation>
    </message>
    <message>
        <source>Choose the column of: %1</source>
        <translation>请选择这些项所在的列：%1</translation>
    </message>
</context>
<context>
    <name>MemberColumns</name>
    <message>
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Relation</source>
        <translation>与户主关系</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Born</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Ethnicity</source>
        <translation>民族</translation>
    </message>
    <message>
        <source>Labour</source>
        <translation>劳动能力</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>健康状况</translation>
    </message>
    <message>
        <source>Serious illness</source>
        <translation>重特大疾病</translation>
    </message>
    <message>
        <source>Disability</source>
        <translation>残疾类别</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>残疾等级</translation>
    </message>
    <message>
        <source>Schooling</source>
        <translation>在学情况</translation>
    </message>
    <message>
        <source>Self-care</source>
        <translation>自理能力</translation>
    </message>
    <message>
        <source>Left behind</source>
        <translation>留守类型</translation>
    </message>
    <message>
        <source>Medical ins.</source>
        <translation>医保</translation>
    </message>
    <message>
        <source>Pension ins.</source>
        <translation>养老保险</translation>
    </message>
    <message>
        <source>Employed</source>
        <translation>就业</translation>
    </message>
    <message>
        <source>Disability certificate</source>
        <translation>残疾证号</translation>
    </message>
    <message>
        <source>Died on</source>
        <translation>死亡日期</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>MemberDetails</name>
    <message>
        <source>Certificate number</source>
        <translation>残疾证号</translation>
    </message>
    <message>
        <source>Medical insurance</source>
        <translation>医疗保险</translation>
    </message>
    <message>
        <source>Pension insurance</source>
        <translation>养老保险</translation>
    </message>
    <message>
        <source>Employed</source>
        <translation>有工作</translation>
    </message>
    <message>
        <source>Died on</source>
        <translation>死亡日期</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Disability</source>
        <translation>残疾类别</translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation>残疾证</translation>
    </message>
    <message>
        <source>Schooling</source>
        <translation>在学情况</translation>
    </message>
    <message>
        <source>Self-care</source>
        <translation>自理能力</translation>
    </message>
    <message>
        <source>Left behind</source>
        <translation>留守类型</translation>
    </message>
    <message>
        <source>Insurance</source>
        <translation>参保</translation>
    </message>
    <message>
        <source>Work</source>
        <translation>就业</translation>
    </message>
    <message>
        <source>Death</source>
        <translation>死亡</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Papers…</source>
        <translation>附件…</translation>
    </message>
    <message>
        <source>Papers of %1</source>
        <translation>%1 的附件</translation>
    </message>
    <message>
        <source>Member details</source>
        <translation>成员详细情况</translation>
    </message>
    <message>
        <source>Save the household first, then attach papers.</source>
        <translation>请先保存这一户，再添加附件。</translation>
    </message>
    <message>
        <source>Details of member %1: %2</source>
        <translation>第 %1 位成员：%2</translation>
    </message>
    <message>
        <source>no name yet</source>
        <translation>姓名未填</translation>
    </message>
</context>
<context>
    <name>MonthlyClosePage</name>
    <message>
        <source>Monthly close</source>
        <extracomment>From this many days before the 25th the countdown turns amber (a week's work is left).</extracomment>
        <translation>月结</translation>
    </message>
    <message>
        <source>Month:</source>
        <translation>月份：</translation>
    </message>
    <message>
        <source>Record comparison done…</source>
        <translation type="vanished">登记本月比对…</translation>
    </message>
    <message>
        <source>Close month…</source>
        <translation>月结…</translation>
    </message>
    <message>
        <source>Your role may not record the comparison.</source>
        <translation type="vanished">您的角色无权登记比对。</translation>
    </message>
    <message>
        <source>Only a reviewer (审核人) may close the month.</source>
        <translation>只有审核人可以月结。</translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation>月结检查</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>情况</translation>
    </message>
    <message>
        <source>Frozen figures</source>
        <translation>冻结的数字</translation>
    </message>
    <message>
        <source>Programme</source>
        <translation>救助项目</translation>
    </message>
    <message>
        <source>Households</source>
        <translation>户数</translation>
    </message>
    <message>
        <source>Persons</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>动态管理增减名单 (additions and removals)</source>
        <translation>动态管理增减名单</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变动类型</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>户主</translation>
    </message>
    <message>
        <source>Persons before</source>
        <translation>变动前人数</translation>
    </message>
    <message>
        <source>Persons after</source>
        <translation>变动后人数</translation>
    </message>
    <message>
        <source>Yuan before</source>
        <translation>变动前金额（元）</translation>
    </message>
    <message>
        <source>Yuan after</source>
        <translation>变动后金额（元）</translation>
    </message>
    <message>
        <source>Effective</source>
        <translation>生效月份</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>变动原因</translation>
    </message>
    <message>
        <source>No additions or removals against the previous month's roster.</source>
        <translation>与上月发放名册相比，没有增减变动。</translation>
    </message>
    <message>
        <source>Loading the month…</source>
        <translation>正在载入本月……</translation>
    </message>
    <message>
        <source>This month is closed.</source>
        <translation>本月已月结。</translation>
    </message>
    <message>
        <source>The roster of %1 is not approved and locked yet: a reviewer locks it on the Assistance payments page before the month can be closed.</source>
        <translation>%1 的发放名册尚未审核锁定：须由审核人在“救助发放”页锁定后才能月结。</translation>
    </message>
    <message>
        <source>Close the month and freeze its figures.</source>
        <translation>月结并冻结本月数字。</translation>
    </message>
    <message>
        <source>Closed on %1</source>
        <translation>已于 %1 月结</translation>
    </message>
    <message>
        <source>%1 days left until the 25th (%2)</source>
        <translation>距 25 日截止还有 %1 天（%2）</translation>
    </message>
    <message>
        <source>Due today (%2)</source>
        <translation>今天截止（%2）</translation>
    </message>
    <message>
        <source>%1 days past the 25th (%2)</source>
        <translation>已过 25 日截止 %1 天（%2）</translation>
    </message>
    <message>
        <source>Closed on %1 by the reviewer. Visits: %2 of %3.</source>
        <translation>审核人于 %1 月结。入户核查：%2 / %3 户。</translation>
    </message>
    <message>
        <source>Reason given: %1</source>
        <translation>月结说明：%1</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Print additions and removals…</source>
        <translation>打印增减名单…</translation>
    </message>
    <message>
        <source>Preview and print this month's 增减名单 (Reports page)</source>
        <translation>在“报表”页预览并打印本月增减名单</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Save this month's 增减名单 as PDF or Excel (Reports page)</source>
        <translation>在“报表”页将本月增减名单保存为 PDF 或 Excel</translation>
    </message>
    <message>
        <source>Which departments' lists were compared and the result, e.g. 与乡村振兴局监测户名单比对，新增 2 户待核查</source>
        <translation type="vanished">比对了哪些部门的名单及结果，如：与乡村振兴局监测户名单比对，新增 2 户待核查</translation>
    </message>
    <message>
        <source>Comparison for %1 recorded.</source>
        <translation type="vanished">已登记 %1 的比对。</translation>
    </message>
    <message>
        <source>Record the comparison of %1</source>
        <translation type="vanished">登记 %1 的比对</translation>
    </message>
    <message>
        <source>The notice asks for a monthly comparison of the register with the lists of 乡村振兴局 and the other departments.</source>
        <translation type="vanished">县局通知要求每月将户档案与乡村振兴局等部门的名单比对一次。</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Not done yet: %1. The month can still be closed with a written reason, kept with the frozen figures. The roster must be approved in any case.</source>
        <translation>尚未完成：%1。仍可写明原因后月结，原因与冻结的数字一并保存。发放名册必须已审核锁定。</translation>
    </message>
    <message>
        <source>Compare lists…</source>
        <translation>比对…</translation>
    </message>
    <message>
        <source>Compare the departments' lists with the register (Comparison page)</source>
        <translation>在“比对”页将部门名单与台账比对</translation>
    </message>
    <message>
        <source>Your role may not compare lists.</source>
        <translation>您的角色不能做数据比对。</translation>
    </message>
    <message>
        <source>Required: why the month is closed with items not done.</source>
        <translation>必填：有事项未完成仍要月结的原因。</translation>
    </message>
    <message>
        <source>Reason (required)</source>
        <translation>原因（必填）</translation>
    </message>
    <message>
        <source>Every item of the checklist is done. Closing freezes the month's figures; later corrections go into the next month.</source>
        <translation>各项均已完成。月结后本月数字冻结，之后的更正记入下个月。</translation>
    </message>
    <message>
        <source>Closing %1: freezing its figures…</source>
        <translation>正在月结 %1：冻结本月数字……</translation>
    </message>
    <message>
        <source>%1 closed; its figures are frozen.</source>
        <translation>%1 已月结，数字已冻结。</translation>
    </message>
    <message>
        <source>Close %1</source>
        <translation>月结 %1</translation>
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
    <name>PaymentKind</name>
    <message>
        <source>Regular</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>Holiday</source>
        <translation>节日补助</translation>
    </message>
    <message>
        <source>Correction</source>
        <translation>更正</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
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
    <name>PolicyFigures</name>
    <message>
        <source>Urban dibao standard (per person)</source>
        <translation>城市低保标准（每人）</translation>
    </message>
    <message>
        <source>Rural dibao standard (per person)</source>
        <translation>农村低保标准（每人）</translation>
    </message>
    <message>
        <source>Urban dibao average top-up floor (per person)</source>
        <translation>城市低保财政月人均补差下限</translation>
    </message>
    <message>
        <source>Rural dibao average top-up floor (per person)</source>
        <translation>农村低保财政月人均补差下限</translation>
    </message>
    <message>
        <source>How the top-up floor is used</source>
        <translation>补差下限的用法</translation>
    </message>
    <message>
        <source>Who approves (审批)</source>
        <translation>审批权限</translation>
    </message>
    <message>
        <source>Default dibao benefit class</source>
        <translation>低保默认施保类别</translation>
    </message>
    <message>
        <source>Dibao benefit classes</source>
        <translation>低保分类施保类别</translation>
    </message>
    <message>
        <source>Savings limit per person</source>
        <translation>人均存款上限</translation>
    </message>
    <message>
        <source>Non-exempt vehicles allowed</source>
        <translation>允许的非豁免车辆数</translation>
    </message>
    <message>
        <source>Dibao-edge line (times the dibao standard)</source>
        <translation>低保边缘线（低保标准的倍数）</translation>
    </message>
    <message>
        <source>Tekun basic living standard (times the dibao standard)</source>
        <translation>特困基本生活标准（低保标准的倍数）</translation>
    </message>
    <message>
        <source>Tekun basic living standard, urban (fixed amount)</source>
        <translation>特困基本生活标准·城市（定额）</translation>
    </message>
    <message>
        <source>Tekun basic living standard, rural (fixed amount)</source>
        <translation>特困基本生活标准·农村（定额）</translation>
    </message>
    <message>
        <source>Tekun care standard by self-care tier</source>
        <translation>特困照料护理标准（按自理能力）</translation>
    </message>
    <message>
        <source>Tekun minors covered until age</source>
        <translation>特困未成年人年龄上限</translation>
    </message>
    <message>
        <source>Tekun elderly from age</source>
        <translation>特困老年人起始年龄</translation>
    </message>
    <message>
        <source>Taper-off period (jiantui) length</source>
        <translation>渐退期时长</translation>
    </message>
    <message>
        <source>Payment during the taper-off period</source>
        <translation>渐退期内发放方式</translation>
    </message>
    <message>
        <source>Employment cost deduction, fixed (per worker)</source>
        <translation>必要就业成本扣除·定额（每名就业者）</translation>
    </message>
    <message>
        <source>Employment cost deduction, share of wage</source>
        <translation>必要就业成本扣除·工资比例</translation>
    </message>
    <message>
        <source>Employment cost deduction, cap (per worker)</source>
        <translation>必要就业成本扣除·上限（每名就业者）</translation>
    </message>
    <message>
        <source>Basic resident pension not counted as income</source>
        <translation>城乡居民基础养老金不计入收入</translation>
    </message>
    <message>
        <source>Income items not counted for dibao</source>
        <translation>不计入低保家庭收入的项目</translation>
    </message>
    <message>
        <source>Old-age allowance by age</source>
        <translation>高龄津贴（按年龄段）</translation>
    </message>
    <message>
        <source>Old-age allowance paid from the birthday month</source>
        <translation>高龄津贴自生日当月起发</translation>
    </message>
    <message>
        <source>Living subsidy for poor disabled people</source>
        <translation>困难残疾人生活补贴</translation>
    </message>
    <message>
        <source>Care subsidy for severely disabled people, by grade</source>
        <translation>重度残疾人护理补贴（按等级）</translation>
    </message>
    <message>
        <source>Orphan and de-facto unsupported child allowance</source>
        <translation>孤儿及事实无人抚养儿童养育津贴</translation>
    </message>
    <message>
        <source>Return-to-poverty monitoring line (per person)</source>
        <translation>防返贫监测收入线（人均）</translation>
    </message>
    <message>
        <source>Emergency temporary assistance (months of standard)</source>
        <translation>急难型临时救助（月低保标准的倍数）</translation>
    </message>
    <message>
        <source>Expense-type temporary assistance cap (months of standard)</source>
        <translation>支出型临时救助上限（月低保标准的倍数）</translation>
    </message>
    <message>
        <source>One-off aid for uninsured unemployed (months of standard)</source>
        <translation>未参保失业人员一次性临时救助（月低保标准的倍数）</translation>
    </message>
    <message>
        <source>Local per-capita disposable income, last year</source>
        <translation>上年度当地居民人均可支配收入</translation>
    </message>
    <message>
        <source>Alert: inpatient costs this year, formerly poor</source>
        <translation>预警：脱贫人口本年住院自付累计</translation>
    </message>
    <message>
        <source>Alert: inpatient costs this year, others</source>
        <translation>预警：其他人员本年住院自付累计</translation>
    </message>
    <message>
        <source>Alert: outpatient costs in a month</source>
        <translation>预警：当月门诊自付</translation>
    </message>
    <message>
        <source>Alert: schooling costs in a year</source>
        <translation>预警：全年教育支出</translation>
    </message>
    <message>
        <source>Alert: per-capita income drop</source>
        <translation>预警：人均收入降幅</translation>
    </message>
    <message>
        <source>Alert: longest gap between home visits</source>
        <translation>预警：入户核查最长间隔</translation>
    </message>
    <message>
        <source>Alert: longest gap between care visits</source>
        <translation>预警：关爱探访最长间隔</translation>
    </message>
    <message>
        <source>Review interval, stable income</source>
        <translation>复核周期（收入稳定）</translation>
    </message>
    <message>
        <source>Review interval, unstable income</source>
        <translation>复核周期（收入不稳定）</translation>
    </message>
    <message>
        <source>Review after a member's death, within</source>
        <translation>家庭成员死亡后复核期限</translation>
    </message>
    <message>
        <source>Uninsured unemployment before one-off aid</source>
        <translation>未参保失业满此月数可获一次性救助</translation>
    </message>
    <message>
        <source>Regional average, shown in reports only</source>
        <translation>全区平均水平，仅在报表中显示</translation>
    </message>
    <message>
        <source>Each covered person gets at least the floor</source>
        <translation>每名保障对象不低于此数</translation>
    </message>
    <message>
        <source>Full original amount</source>
        <translation>照原额发放</translation>
    </message>
    <message>
        <source>The township, by delegation (委托乡镇审核确认)</source>
        <translation>乡镇（委托乡镇审核确认）</translation>
    </message>
    <message>
        <source>The county civil-affairs bureau</source>
        <translation>县民政局</translation>
    </message>
    <message>
        <source>Grade 1</source>
        <translation>一级</translation>
    </message>
    <message>
        <source>Grade 2</source>
        <translation>二级</translation>
    </message>
    <message>
        <source>yuan/month</source>
        <translation>元/月</translation>
    </message>
    <message>
        <source>yuan/year</source>
        <translation>元/年</translation>
    </message>
    <message>
        <source>rule only</source>
        <translation>仅有规定</translation>
    </message>
    <message>
        <source>rule form only</source>
        <translation>仅有规定格式</translation>
    </message>
    <message>
        <source>item %1</source>
        <translation>第 %1 项</translation>
    </message>
    <message>
        <source>background knowledge, no document found</source>
        <translation>背景知识，未找到文件</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>yuan</source>
        <translation>元</translation>
    </message>
    <message>
        <source>years old</source>
        <translation>岁</translation>
    </message>
    <message>
        <source>days</source>
        <translation>天</translation>
    </message>
    <message>
        <source>months</source>
        <translation>个月</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>未设定</translation>
    </message>
    <message>
        <source>%1 times</source>
        <translation>%1 倍</translation>
    </message>
    <message>
        <source>not set (not applied)</source>
        <translation>未设定（不适用）</translation>
    </message>
    <message>
        <source> (%1 yuan/month)</source>
        <translation>（%1 元/月）</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>%1+ %2</source>
        <translation>%1岁以上 %2</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>placeholder (no source)</source>
        <translation>占位值（无依据）</translation>
    </message>
</context>
<context>
    <name>PolicyPage</name>
    <message>
        <source>Policy parameters</source>
        <translation>政策参数</translation>
    </message>
    <message>
        <source>Figures in force in:</source>
        <translation>查看月份：</translation>
    </message>
    <message>
        <source>Add period…</source>
        <translation>新增施行期…</translation>
    </message>
    <message>
        <source>Enter figures from a new document, with the date they take effect.</source>
        <translation>按新文件录入参数及其生效日期。</translation>
    </message>
    <message>
        <source>Only the county bureau or the administrator may add policy figures.</source>
        <translation>只有县级民政部门或管理员可以新增政策参数。</translation>
    </message>
    <message>
        <source>Figures marked Unconfirmed in orange were not found in an official Ningxia document: the county bureau must replace them by adding a period with the document number. Old periods are kept, so earlier months are still computed with the figures then in force.</source>
        <translation>橙色标“未确认”的数字未在宁夏正式文件中查到，须由县民政局按文号新增施行期予以替换。原有施行期保留，以前月份仍按当时施行的数字计算。</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>施行起</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Unconfirmed</source>
        <translation>未确认</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>Periods (each sets the figures that changed on its date):</source>
        <translation>施行期（每期列出自该日起变动的参数）：</translation>
    </message>
    <message>
        <source>Effective from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>Figures</source>
        <translation>参数数</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>%1 figures, %2 unconfirmed</source>
        <translation>共 %1 项参数，其中 %2 项未确认</translation>
    </message>
    <message>
        <source>Reliability: %1</source>
        <translation>可靠性：%1</translation>
    </message>
    <message>
        <source>%1 of %2 unconfirmed</source>
        <translation>部分未确认（%1/%2）</translation>
    </message>
    <message>
        <source>Select a figure to see its source and notes.</source>
        <translation>选中一项参数可查看其依据和说明。</translation>
    </message>
    <message>
        <source>Unconfirmed: the county bureau must replace this figure.</source>
        <translation>未确认：须由县民政局替换此数字。</translation>
    </message>
    <message>
        <source>A period from %1 with %2 figure(s) was added.</source>
        <translation>已新增自 %1 起施行的 %2 项参数。</translation>
    </message>
</context>
<context>
    <name>ProgrammesPage</name>
    <message>
        <source>Assistance payments</source>
        <translation>救助发放</translation>
    </message>
    <message>
        <source>Month:</source>
        <translation>月份：</translation>
    </message>
    <message>
        <source>Build roster</source>
        <translation>生成发放名册</translation>
    </message>
    <message>
        <source>Compute this month's lines from the enrolments in force. A draft is replaced; a locked month gets correction lines.</source>
        <translation>按在保记录计算本月发放行。草稿会被替换；已锁定的月份只增加更正行。</translation>
    </message>
    <message>
        <source>Approve &amp;&amp; lock</source>
        <translation>审核锁定</translation>
    </message>
    <message>
        <source>Holiday subsidy…</source>
        <translation>节日补助…</translation>
    </message>
    <message>
        <source>Your role may not build rosters.</source>
        <translation>您的角色无权生成发放名册。</translation>
    </message>
    <message>
        <source>Only a reviewer (审核人) may approve and lock the roster.</source>
        <translation>只有审核人可以审核锁定发放名册。</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>户主</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>whole household</source>
        <translation>全户</translation>
    </message>
    <message>
        <source>Programme</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Persons</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Totals by programme</source>
        <translation>按项目合计</translation>
    </message>
    <message>
        <source>Households</source>
        <translation>户数</translation>
    </message>
    <message>
        <source>Payment roster</source>
        <translation>发放名册</translation>
    </message>
    <message>
        <source>Households of close relatives of village officials or case workers (S1 第十一条). Each is registered separately and must be home-visited before approval.</source>
        <translation>村干部或经办人近亲属的户（审核确认办法第十一条）：单独登记备案，批准前须入户核查。</translation>
    </message>
    <message>
        <source>Relationship on file</source>
        <translation>备案说明</translation>
    </message>
    <message>
        <source>Enrolments</source>
        <translation>救助记录</translation>
    </message>
    <message>
        <source>No household is on file as a relative of an official. Mark it in the household editor (近亲属备案) when an applicant declares one.</source>
        <translation>目前没有近亲属备案的户。申请人申报与村干部或经办人有近亲属关系时，请在户档案中勾选“近亲属备案”。</translation>
    </message>
    <message>
        <source>备案 register</source>
        <translation>近亲属备案</translation>
    </message>
    <message>
        <source>Work queues</source>
        <translation>工作队列</translation>
    </message>
    <message>
        <source>Work queues (%1)</source>
        <translation>工作队列（%1）</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Totals by programme — %1 lines, %2 yuan (households and persons count regular lines)</source>
        <translation>按项目合计：共 %1 行，%2 元（户数、人数只计常规发放行）</translation>
    </message>
    <message>
        <source>Month closed: figures frozen</source>
        <translation>已月结，数字已冻结</translation>
    </message>
    <message>
        <source>No roster yet</source>
        <translation>尚未生成名册</translation>
    </message>
    <message>
        <source>Approved and locked</source>
        <translation>已审核锁定</translation>
    </message>
    <message>
        <source>Locked, with new draft lines to approve</source>
        <translation>已锁定，另有新行待审核</translation>
    </message>
    <message>
        <source>Draft: not yet approved</source>
        <translation>草稿，尚未审核</translation>
    </message>
    <message>
        <source>Lock every draft line of this month.</source>
        <translation>锁定本月所有草稿行。</translation>
    </message>
    <message>
        <source>There are no draft lines to approve.</source>
        <translation>没有待审核的草稿行。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Preview and print this month's roster (Reports page)</source>
        <translation>在“报表”页预览并打印本月名册</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Save this month's roster as PDF or Excel (Reports page)</source>
        <translation>在“报表”页将本月名册保存为 PDF 或 Excel</translation>
    </message>
    <message>
        <source>Building the roster for %1…</source>
        <translation>正在生成 %1 的发放名册…</translation>
    </message>
    <message>
        <source>The roster of %1 is locked: %2 correction lines added (%3 yuan).</source>
        <translation>%1 名册已锁定：新增 %2 条更正行（%3 元）。</translation>
    </message>
    <message>
        <source>Roster of %1 rebuilt: %4 → %5 persons, %6 → %3 yuan (%7). A reviewer approves and locks it.</source>
        <translation>%1 的名册已重新生成：%4 → %5 人，%6 → %3 元（%7）。请审核人审核锁定。</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>不变</translation>
    </message>
    <message>
        <source>Roster of %1 built: %2 lines, %3 yuan. A reviewer approves and locks it.</source>
        <translation>%1 发放名册已生成：%2 行，%3 元。请审核人审核锁定。</translation>
    </message>
    <message>
        <source>Approve and lock the roster</source>
        <translation>审核锁定名册</translation>
    </message>
    <message>
        <source>Approve and lock the roster of %1: %2 lines, %3 yuan?

This cannot be undone: later changes to this month only add correction lines.</source>
        <translation>审核锁定 %1 的名册：%2 行，%3 元？

锁定后不能撤销：本月以后的改动只能以更正行记入。</translation>
    </message>
    <message>
        <source>Approving and locking the roster of %1…</source>
        <translation>正在审核锁定 %1 的名册……</translation>
    </message>
    <message>
        <source>%1 lines of %2 approved and locked.</source>
        <translation>已审核锁定 %2 的 %1 行。</translation>
    </message>
    <message>
        <source>e.g. 春节一次性生活补贴</source>
        <translation>如：春节一次性生活补贴</translation>
    </message>
    <message>
        <source>Choose at least one programme.</source>
        <translation>请至少选择一个项目。</translation>
    </message>
    <message>
        <source>%1 holiday lines added to %2.</source>
        <translation>已在 %2 增加 %1 条节日补助。</translation>
    </message>
    <message>
        <source>Holiday subsidy for %1</source>
        <translation>%1 节日补助</translation>
    </message>
    <message>
        <source>A one-off amount per person covered, for every household paid under the chosen programmes this month.</source>
        <translation>按保障人数一次性发放，对象为本月在所选项目中有发放的户。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Yuan per person</source>
        <translation>每人金额（元）</translation>
    </message>
    <message>
        <source>Programmes</source>
        <translation>项目</translation>
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
        <translation type="vanished">请打印或抄写下来，交民政办负责人锁好保管。不要拍照，不要通过微信、QQ 或邮箱发送。需要时在登录窗口点“忘记密码……”使用。</translation>
    </message>
    <message>
        <source>Print it or write it down, and lock it away with the head of the office. Do not photograph it or send it by WeChat, QQ or e-mail. Use it with "Forgot password…" on the sign-in window. The printed sheet also carries the recovery slot: with the sheet and the code the database opens even if its key-slot files are lost.</source>
        <translation>请打印或抄写下来，交民政办负责人锁好保管。不要拍照，不要通过微信、QQ 或邮箱发送。需要时在登录窗口点“忘记密码……”使用。打印的恢复码单上还印有恢复槽：即使密钥槽文件丢失，凭恢复码单和恢复码仍能打开数据库。</translation>
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
    <name>RekeyDoneDialog</name>
    <message>
        <source>The database was re-encrypted</source>
        <translation>数据库已重新加密</translation>
    </message>
    <message>
        <source>The new recovery code is shown only this once. Write it down or print a new recovery sheet, lock it away, and destroy the old sheet: its code no longer opens the database.</source>
        <translation>新的恢复码只显示这一次。请抄写下来或打印新的恢复码单，锁好保管，并销毁旧的恢复码单：旧恢复码已不能打开数据库。</translation>
    </message>
    <message>
        <source>Set a new password for each of these users with Reset password…: %1.</source>
        <translation>请用“重置密码…”为以下用户逐一设置新密码：%1。</translation>
    </message>
    <message>
        <source>No other user needs a new password.</source>
        <translation>没有其他用户需要设置新密码。</translation>
    </message>
</context>
<context>
    <name>ReportFiles</name>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Save report as</source>
        <translation>报表另存为</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <source>Show masked ID numbers on the public list</source>
        <translation>公示显示脱敏身份证号</translation>
    </message>
    <message>
        <source>Blank form</source>
        <translation>空白表</translation>
    </message>
    <message>
        <source>Fit width</source>
        <translation>适合宽度</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Programme</source>
        <translation>救助项目</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村</translation>
    </message>
    <message>
        <source>Name, ID number or household no.</source>
        <translation>姓名、身份证号或户编号</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>Household</source>
        <translation>家庭</translation>
    </message>
    <message>
        <source>Generate preview</source>
        <translation>生成预览</translation>
    </message>
    <message>
        <source>Read the register and draw the report (Enter)</source>
        <translation>读取台账并生成报表（回车）</translation>
    </message>
    <message>
        <source>No preview yet</source>
        <translation>尚未生成预览</translation>
    </message>
    <message>
        <source>Zoom</source>
        <translation>缩放</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Open the saved file in the system's viewer</source>
        <translation>用系统程序打开已保存的文件</translation>
    </message>
    <message>
        <source>No report is available yet.</source>
        <translation>暂无可用报表。</translation>
    </message>
    <message>
        <source>All programmes</source>
        <translation>全部项目</translation>
    </message>
    <message>
        <source>Whole township</source>
        <translation>全乡镇</translation>
    </message>
    <message>
        <source>No one in the register matches “%1”.</source>
        <translation>台账中没有与“%1”相符的人。</translation>
    </message>
    <message>
        <source>No report named “%1”.</source>
        <translation>没有名为“%1”的报表。</translation>
    </message>
    <message>
        <source>Drawing the pages…</source>
        <translation>正在排版…</translation>
    </message>
    <message>
        <source>Reading the register for the report…</source>
        <translation>正在读取台账生成报表…</translation>
    </message>
    <message>
        <source>%1 · pages: %2</source>
        <translation>%1 · 共 %2 页</translation>
    </message>
    <message>
        <source>Print %1</source>
        <translation>打印%1</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Printing page %1 of %2…</source>
        <translation>正在打印第 %1 页，共 %2 页…</translation>
    </message>
    <message>
        <source>The printer could not be opened: %1</source>
        <translation>无法打开打印机：%1</translation>
    </message>
    <message>
        <source>Printing cancelled after %1 of %2 pages.</source>
        <translation>已取消打印（已打印 %1 页，共 %2 页）。</translation>
    </message>
    <message>
        <source>%1 pages sent to the printer.</source>
        <translation>已向打印机发送 %1 页。</translation>
    </message>
    <message>
        <source>Saving %1…</source>
        <translation>正在保存 %1…</translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation>已保存到 %1</translation>
    </message>
    <message>
        <source>No program on this PC opens %1.</source>
        <translation>本机没有能打开 %1 的程序。</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Standard</source>
        <translation>标准</translation>
    </message>
    <message>
        <source>Large</source>
        <translation>大</translation>
    </message>
    <message>
        <source>Extra large</source>
        <translation>特大</translation>
    </message>
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
        <source>Sign out / switch user</source>
        <translation>退出登录 / 切换用户</translation>
    </message>
    <message>
        <source>Close your session and let another user sign in, without quitting</source>
        <translation>退出当前登录，让其他用户登录，程序不关闭</translation>
    </message>
    <message>
        <source>Signed in as:</source>
        <translation>当前登录：</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>Last backup:</source>
        <translation>上次备份：</translation>
    </message>
    <message>
        <source>Backup folder:</source>
        <translation>备份文件夹：</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <source>Choose folder…</source>
        <translation>选择文件夹……</translation>
    </message>
    <message>
        <source>For example a folder on a USB stick</source>
        <translation>例如 U 盘上的一个文件夹</translation>
    </message>
    <message>
        <source>Text size:</source>
        <translation>字号：</translation>
    </message>
    <message>
        <source>Takes effect the next time Doudi starts.</source>
        <translation>下次启动兜底时生效。</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>界面语言：</translation>
    </message>
    <message>
        <source>The choice of language comes in a later version.</source>
        <translation type="vanished">界面语言选择将在以后的版本中提供。</translation>
    </message>
    <message>
        <source>Backups and the choice of language come in a later version.</source>
        <translation type="vanished">数据备份和界面语言选择将在以后的版本中提供。</translation>
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
        <source>none yet</source>
        <translation>尚无</translation>
    </message>
    <message>
        <source>%1, in %2</source>
        <translation>%1，保存在 %2</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>正在备份……</translation>
    </message>
    <message>
        <source>Folder for backups</source>
        <translation>选择备份文件夹</translation>
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
        <source>Creating this PC's encrypted database…</source>
        <translation>正在建立这台电脑的加密数据库…</translation>
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
    <name>Shortcuts</name>
    <message>
        <source>Open %1</source>
        <translation>打开“%1”</translation>
    </message>
    <message>
        <source>Find a household</source>
        <translation>查找户</translation>
    </message>
    <message>
        <source>New household (on the Households page)</source>
        <translation>新建户（在户档案页）</translation>
    </message>
    <message>
        <source>Add a member (in the household editor)</source>
        <translation>添加成员（在户档案编辑窗口）</translation>
    </message>
    <message>
        <source>Save (household editor, visit form)</source>
        <translation>保存（户档案编辑窗口、入户核查表）</translation>
    </message>
    <message>
        <source>Save the visit and go to the next household</source>
        <translation>保存核查并转到下一户</translation>
    </message>
    <message>
        <source>Skip this household (visits)</source>
        <translation>跳过这一户（入户核查）</translation>
    </message>
    <message>
        <source>Reload the dashboard</source>
        <translation>刷新工作台</translation>
    </message>
    <message>
        <source>Lock now</source>
        <translation>立即锁定</translation>
    </message>
    <message>
        <source>These instructions</source>
        <translation>本说明</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
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
        <source>Restore from backup…</source>
        <translation>从备份恢复……</translation>
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
    <message>
        <source>Choose a backup (its manifest.json)</source>
        <translation>选择备份（其中的 manifest.json 文件）</translation>
    </message>
    <message>
        <source>Backup manifest (manifest.json)</source>
        <translation>备份清单 (manifest.json)</translation>
    </message>
    <message>
        <source>Password of %1:</source>
        <translation>%1 的密码：</translation>
    </message>
    <message>
        <source>This PC does not hold the key of this backup. Recovery code:</source>
        <translation>这台电脑上没有这份备份的设备密钥。请输入恢复码：</translation>
    </message>
    <message>
        <source>Restore from backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <source>The office now in %1 will be moved aside (kept, not deleted) and replaced by the backup.</source>
        <translation>%1 中现有的单位数据将移到别处保留（不会删除），再用备份替换。</translation>
    </message>
    <message>
        <source>Restoring the backup…</source>
        <translation>正在恢复备份……</translation>
    </message>
    <message>
        <source>The backup has been restored.</source>
        <translation>备份已恢复。</translation>
    </message>
    <message>
        <source>The office it replaced is kept in %1.</source>
        <translation>被替换的单位数据保留在 %1。</translation>
    </message>
    <message>
        <source>This PC does not hold the key: set a new password with the recovery code.</source>
        <translation>这台电脑上没有设备密钥：请用恢复码设置新密码。</translation>
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
        <source>This PC &amp;joins an office that already uses Doudi</source>
        <translation>这台电脑加入已在使用兜底的单位(&amp;J)</translation>
    </message>
    <message>
        <source>For a second clerk's PC in the same office. You need the first PC's card (a file) and its fingerprint; this PC gets its own keys and users, and the register comes in the first PC's next package.</source>
        <translation>用于同一单位第二位经办人的电脑。需要第一台电脑的名片文件和指纹；这台电脑有自己的密钥和用户，台账随第一台电脑的下一个数据包到来。</translation>
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
    <name>SupportBundle</name>
    <message>
        <source>Save the support bundle</source>
        <translation>保存技术支持包</translation>
    </message>
    <message>
        <source>Zip files (*.zip)</source>
        <translation>压缩文件 (*.zip)</translation>
    </message>
    <message>
        <source>Support bundle</source>
        <translation>技术支持包</translation>
    </message>
    <message>
        <source>The support bundle was saved to %1.
It holds no household records, keys or backups: send it to the county's support staff.</source>
        <translation>技术支持包已保存到 %1。
其中没有户档案、密钥和备份，可以发给县民政局的技术支持人员。</translation>
    </message>
    <message>
        <source>Making the support bundle…</source>
        <translation>正在生成技术支持包…</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <source>Active</source>
        <translation>在用</translation>
    </message>
    <message>
        <source>Deactivated</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Add user…</source>
        <translation>新增用户…</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>重置密码…</translation>
    </message>
    <message>
        <source>Deactivate…</source>
        <translation>停用…</translation>
    </message>
    <message>
        <source>Re-encrypt database…</source>
        <translation>重新加密数据库…</translation>
    </message>
    <message>
        <source>The administrator can reset any user's password here; a forgotten administrator password needs the recovery code printed when the office was set up.</source>
        <translation>管理员可在此重置任何用户的密码；管理员本人忘记密码时，须使用建库时打印的恢复码。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>You (signed in now)</source>
        <translation>本人（当前登录）</translation>
    </message>
    <message>
        <source>If this password is forgotten, use the recovery code</source>
        <translation>忘记此密码时须用恢复码</translation>
    </message>
    <message>
        <source>Cannot sign in</source>
        <translation>不能登录</translation>
    </message>
    <message>
        <source>Needs a new password from the administrator</source>
        <translation>需由管理员设置新密码</translation>
    </message>
    <message>
        <source>%1 active, %2 deactivated</source>
        <translation>在用 %1 人，停用 %2 人</translation>
    </message>
    <message>
        <source>Only the administrator may manage users.</source>
        <translation>只有管理员可以管理用户。</translation>
    </message>
    <message>
        <source>Select a user first.</source>
        <translation>请先选中一个用户。</translation>
    </message>
    <message>
        <source>This user is deactivated.</source>
        <translation>该用户已停用。</translation>
    </message>
    <message>
        <source>Only the administrator may reset other users' passwords.</source>
        <translation>只有管理员可以重置其他用户的密码。</translation>
    </message>
    <message>
        <source>This user is already deactivated.</source>
        <translation>该用户已停用。</translation>
    </message>
    <message>
        <source>You cannot deactivate your own account.</source>
        <translation>不能停用自己的账号。</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Repeat password:</source>
        <translation>再次输入密码：</translation>
    </message>
    <message>
        <source>The two passwords are not the same.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <source>Letters, digits or Chinese, e.g. wangli</source>
        <translation>字母、数字或汉字，例如 wangli</translation>
    </message>
    <message>
        <source>e.g. 王丽</source>
        <translation>例如 王丽</translation>
    </message>
    <message>
        <source>Add a user</source>
        <translation>新增用户</translation>
    </message>
    <message>
        <source>The new user signs in with this user name and password on this PC.</source>
        <translation>新用户在本机用此用户名和密码登录。</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Full name:</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <source>Role:</source>
        <translation>角色：</translation>
    </message>
    <message>
        <source>User %1 (%2) was added.</source>
        <translation>已新增用户 %1（%2）。</translation>
    </message>
    <message>
        <source>Your password has been changed.</source>
        <translation>您的密码已修改。</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>New password for %1 (%2). Tell the user in person; it is not shown again.</source>
        <translation>为 %1（%2）设置新密码。请当面告知本人，此后不再显示。</translation>
    </message>
    <message>
        <source>The password of %1 was reset.</source>
        <translation>%1 的密码已重置。</translation>
    </message>
    <message>
        <source>%1 was deactivated and can no longer sign in.</source>
        <translation>%1 已停用，不能再登录。</translation>
    </message>
    <message>
        <source>These users will need a new password from you afterwards: %1.</source>
        <translation>完成后，您需要为以下用户设置新密码：%1。</translation>
    </message>
    <message>
        <source>No other user is active, so nobody else needs a new password.</source>
        <translation>没有其他在用的用户，因此无人需要设置新密码。</translation>
    </message>
    <message>
        <source>Re-encrypt the database</source>
        <translation>重新加密数据库</translation>
    </message>
    <message>
        <source>Your password:</source>
        <translation>您的密码：</translation>
    </message>
    <message>
        <source>Re-encrypt</source>
        <translation>重新加密</translation>
    </message>
    <message>
        <source>Re-encrypting the database…</source>
        <translation>正在重新加密数据库……</translation>
    </message>
    <message>
        <source>The database was re-encrypted. Old copies of the key-slot file no longer open it.</source>
        <translation>数据库已重新加密。密钥槽文件的旧副本已无法打开它。</translation>
    </message>
    <message>
        <source>Deactivating a user removes their key slot, but an old copy of the key-slot file (a backup, a USB stick) still opens the database. Re-encrypting the database under a new key makes every old copy useless. Afterwards you get a new recovery code (the old one stops working), and every other user needs a new password from you, because their passwords are not known to the program.</source>
        <translation>停用用户会删除其密钥槽，但密钥槽文件的旧副本（如备份里、U 盘上的）仍能打开数据库。用新密钥重新加密数据库后，所有旧副本都将失效。完成后您会得到新的恢复码（旧恢复码随即作废）；其他每位用户都需要由您重新设置密码，因为程序并不知道他们的密码。</translation>
    </message>
    <message>
        <source>Deactivate user</source>
        <translation>停用用户</translation>
    </message>
    <message>
        <source>Deactivate %1 (%2, %3)? They will no longer be able to sign in. Their past work stays in the records.</source>
        <translation>停用 %1（%2，%3）？停用后不能再登录，其以往工作记录保留。</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>停用</translation>
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
<context>
    <name>VisitHistoryTable</name>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>核查类别</translation>
    </message>
    <message>
        <source>Visitors</source>
        <translation>核查人</translation>
    </message>
    <message>
        <source>Not guaranteed</source>
        <translation>未保障项</translation>
    </message>
    <message>
        <source>Income</source>
        <translation>收入变化</translation>
    </message>
    <message>
        <source>Risk signs</source>
        <translation>风险信号</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>all guaranteed</source>
        <translation>均有保障</translation>
    </message>
</context>
<context>
    <name>VisitsPage</name>
    <message>
        <source>Enough to eat (吃)</source>
        <translation>不愁吃</translation>
    </message>
    <message>
        <source>Enough to wear (穿)</source>
        <translation>不愁穿</translation>
    </message>
    <message>
        <source>Compulsory schooling (义务教育)</source>
        <translation>义务教育有保障</translation>
    </message>
    <message>
        <source>Basic medical care (基本医疗)</source>
        <translation>基本医疗有保障</translation>
    </message>
    <message>
        <source>Safe housing (住房安全)</source>
        <translation>住房安全有保障</translation>
    </message>
    <message>
        <source>Safe drinking water (饮水安全)</source>
        <translation>饮水安全有保障</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未核查</translation>
    </message>
    <message>
        <source>Overdue: not visited last month either</source>
        <translation>逾期：上月也未核查</translation>
    </message>
    <message>
        <source>Assured</source>
        <translation>有保障</translation>
    </message>
    <message>
        <source>Not assured</source>
        <translation>无保障</translation>
    </message>
    <message>
        <source>What is wrong (required)</source>
        <translation>情况说明（必填）</translation>
    </message>
    <message>
        <source>Note on %1</source>
        <translation>%1：情况说明</translation>
    </message>
    <message>
        <source>&amp;Quick mode: after saving, go to the next household</source>
        <translation>快速模式：保存后自动转到下一户(&amp;Q)</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>&amp;Visit another household…</source>
        <translation>核查其他户(&amp;V)……</translation>
    </message>
    <message>
        <source>An ad-hoc visit (临时救助入户, 回访) of a household that is not on this month's list</source>
        <translation>对不在本月名单上的户进行的临时入户（临时救助入户、回访）</translation>
    </message>
    <message>
        <source>At least two names, separated by 、</source>
        <translation>至少两人，姓名用“、”分隔</translation>
    </message>
    <message>
        <source>两不愁三保障 — tick what is assured</source>
        <translation type="vanished">两不愁三保障（有保障的打勾）</translation>
    </message>
    <message>
        <source>Visit date</source>
        <translation>核查日期</translation>
    </message>
    <message>
        <source>Visitors</source>
        <translation>核查人</translation>
    </message>
    <message>
        <source>Income change</source>
        <translation>收入变化</translation>
    </message>
    <message>
        <source>Risk signs</source>
        <translation>风险迹象</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Next visit due</source>
        <translation>下次核查</translation>
    </message>
    <message>
        <source>&amp;Save visit</source>
        <translation>保存核查(&amp;S)</translation>
    </message>
    <message>
        <source>Mark each item assured or not assured; not yet marked: %1</source>
        <translation>请逐项标明有无保障；尚未标明：%1</translation>
    </message>
    <message>
        <source>Visit to %1 saved.</source>
        <translation>已保存 %1 的入户核查。</translation>
    </message>
    <message>
        <source>Visit to %1 saved. Choose the next household on the left.</source>
        <translation>已保存 %1 的核查。请在左侧选择下一户。</translation>
    </message>
    <message>
        <source>Ctrl+Enter: save and go to the next household</source>
        <translation type="vanished">Ctrl+回车：保存并转到下一户</translation>
    </message>
    <message>
        <source>S&amp;kip</source>
        <translation>跳过(&amp;K)</translation>
    </message>
    <message>
        <source>Go to the next household without saving</source>
        <translation>不保存，转到下一户</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Concerns</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Income</source>
        <translation>收入</translation>
    </message>
    <message>
        <source>Ctrl+S: save; Ctrl+Enter: save and go to the next household</source>
        <translation>Ctrl+S：保存；Ctrl+Enter：保存并转到下一户</translation>
    </message>
    <message>
        <source>两不愁三保障 — mark each item</source>
        <translation>两不愁三保障 — 逐项标明</translation>
    </message>
    <message>
        <source>&amp;All assured</source>
        <translation>全部有保障(&amp;A)</translation>
    </message>
    <message>
        <source>Mark all six items assured, after checking each of them</source>
        <translation>逐项核实后，把六项都标为有保障</translation>
    </message>
    <message>
        <source>Required when an item is not assured: say what is wrong</source>
        <translation type="vanished">有一项无保障时必填：写明情况</translation>
    </message>
    <message>
        <source>Anything else worth recording (each item not assured has its own note)</source>
        <translation>其他需要记录的情况（未保障事项已各有说明栏）</translation>
    </message>
    <message>
        <source>Kind of visit</source>
        <translation>核查类型</translation>
    </message>
    <message>
        <source>&amp;Delete visit…</source>
        <translation>删除核查(&amp;D)……</translation>
    </message>
    <message>
        <source>Delete this visit, recorded by mistake (a reason is asked)</source>
        <translation>删除这条误登记的核查（需写明理由）</translation>
    </message>
    <message>
        <source>Cancel correction</source>
        <translation>取消更正</translation>
    </message>
    <message>
        <source>&amp;Photos and papers…</source>
        <translation>照片和材料(&amp;P)…</translation>
    </message>
    <message>
        <source>Attach photos or scans to this visit</source>
        <translation>为这次核查添加照片或扫描件</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Double-click a visit to correct or delete it</source>
        <translation>双击一条核查记录即可更正或删除</translation>
    </message>
    <message>
        <source>C&amp;orrect or delete…</source>
        <translation>更正或删除(&amp;O)……</translation>
    </message>
    <message>
        <source>Open the selected visit in the form above</source>
        <translation>在上方表单中打开选中的核查记录</translation>
    </message>
    <message>
        <source>Recent visits to this household</source>
        <translation>本户最近的核查</translation>
    </message>
    <message>
        <source>Could not load the list.</source>
        <translation>列表未能载入。</translation>
    </message>
    <message>
        <source>Visited %1 of %2; %3 still due</source>
        <translation>已核查 %1 / %2 户，还有 %3 户待核查</translation>
    </message>
    <message>
        <source>No household selected</source>
        <translation>未选择户</translation>
    </message>
    <message>
        <source>Every household under watch has been visited this month.</source>
        <translation>本月所有纳入核查的户都已核查。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>The rules ask for at least two visitors; separate names with 、</source>
        <translation>按规定核查人至少两名，姓名用“、”分隔</translation>
    </message>
    <message>
        <source>Photos and papers of the visit of %1</source>
        <translation>%1 入户核查的照片和材料</translation>
    </message>
    <message>
        <source>&amp;Save correction</source>
        <translation>保存更正(&amp;S)</translation>
    </message>
    <message>
        <source>%1 — correcting the visit of %2</source>
        <translation>%1 — 更正 %2 的核查</translation>
    </message>
    <message>
        <source>%1 — a visit outside this month's list</source>
        <translation>%1 — 本月名单以外的核查</translation>
    </message>
    <message>
        <source>Correction saved.</source>
        <translation>更正已保存。</translation>
    </message>
    <message>
        <source>Delete the visit</source>
        <translation>删除核查</translation>
    </message>
    <message>
        <source>The visit of %1 by %2 will be deleted. The reason is kept in the change log.</source>
        <translation>将删除 %1 的这次核查（核查人：%2）。理由记入变更记录。</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>The visit of %1 was deleted.</source>
        <translation>已删除 %1 的核查。</translation>
    </message>
</context>
<context>
    <name>WhatIfPage</name>
    <message>
        <source>Policy what-if</source>
        <translation>政策测算</translation>
    </message>
    <message>
        <source>Try a new 低保 standard before it is decided: every household is assessed with the figures in force and with the new ones, by the same rules. Nothing is saved.</source>
        <translation>在决定新的低保标准之前先测算：按同一套规则，用现行标准和拟调整标准分别测算每一户。不会保存任何数据。</translation>
    </message>
    <message>
        <source>From month</source>
        <translation>起始月份</translation>
    </message>
    <message>
        <source>Rural standard (yuan per person per year)</source>
        <translation>农村低保标准（元/人·年）</translation>
    </message>
    <message>
        <source>Urban standard (yuan per person per month)</source>
        <translation>城市低保标准（元/人·月）</translation>
    </message>
    <message>
        <source>Calculate</source>
        <translation>测算</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <source>Township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Programme</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Households before → after</source>
        <translation>户数 测算前→后</translation>
    </message>
    <message>
        <source>Persons before → after</source>
        <translation>人数 测算前→后</translation>
    </message>
    <message>
        <source>Enter (households / persons)</source>
        <translation>新纳入 户/人</translation>
    </message>
    <message>
        <source>Leave (households / persons)</source>
        <translation>退出 户/人</translation>
    </message>
    <message>
        <source>Class changed</source>
        <translation>类别变化户数</translation>
    </message>
    <message>
        <source>Monthly change (yuan)</source>
        <translation>月支出变化（元）</translation>
    </message>
    <message>
        <source>Yearly change (yuan)</source>
        <translation>年支出变化（元）</translation>
    </message>
    <message>
        <source>in force: %1</source>
        <translation>现行：%1</translation>
    </message>
    <message>
        <source>Assessing every household…</source>
        <translation>正在逐户测算…</translation>
    </message>
    <message>
        <source>%1 households assessed for %2; nothing was saved.</source>
        <translation>已测算 %1 户（%2 起）；未保存任何数据。</translation>
    </message>
    <message>
        <source>policy-what-if</source>
        <translation>政策测算</translation>
    </message>
    <message>
        <source>Export to Excel</source>
        <translation>导出 Excel</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
</context>
<context>
    <name>WorkQueuesPanel</name>
    <message>
        <source>Show the queues of one village</source>
        <translation>只看一个村的队列</translation>
    </message>
    <message>
        <source>All villages</source>
        <translation>全部村</translation>
    </message>
    <message>
        <source>Village:</source>
        <translation>村：</translation>
    </message>
    <message>
        <source>Work queues</source>
        <translation>工作队列</translation>
    </message>
    <message>
        <source>Double-click or press Enter to open the household</source>
        <translation>双击或按回车键打开该户</translation>
    </message>
    <message>
        <source>No household is waiting in this queue.</source>
        <translation>这个队列里没有待办的户。</translation>
    </message>
    <message>
        <source>Awaiting approval</source>
        <translation>待审批</translation>
    </message>
    <message>
        <source>Publicity ended</source>
        <translation>公示到期</translation>
    </message>
    <message>
        <source>Taper ending</source>
        <translation>渐退到期</translation>
    </message>
    <message>
        <source>To visit this month</source>
        <translation>本月待核查</translation>
    </message>
    <message>
        <source>County tasks</source>
        <translation>县级任务</translation>
    </message>
    <message>
        <source>Moving in</source>
        <translation>迁入待接收</translation>
    </message>
    <message>
        <source>Moving out</source>
        <translation>迁出待办理</translation>
    </message>
    <message>
        <source>Sent for approval</source>
        <translation>报送审批日期</translation>
    </message>
    <message>
        <source>Publicity ended on</source>
        <translation>公示截止日期</translation>
    </message>
    <message>
        <source>Last taper month</source>
        <translation>渐退最后一月</translation>
    </message>
    <message>
        <source>Last visit</source>
        <translation>最近核查</translation>
    </message>
    <message>
        <source>Sent on</source>
        <translation>下发日期</translation>
    </message>
    <message>
        <source>Approved on</source>
        <translation>批准日期</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村（居）</translation>
    </message>
    <message>
        <source>Head of household</source>
        <translation>户主</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>待办事项</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
</context>
<context>
    <name>_ValueEditor</name>
    <message>
        <source>Amount (%1):</source>
        <translation>金额（%1）：</translation>
    </message>
    <message>
        <source>Multiple, e.g. 1.5</source>
        <translation>倍数，例如 1.5</translation>
    </message>
    <message>
        <source>Share as a decimal, e.g. 0.3 for 30%</source>
        <translation>比例用小数表示，例如 0.3 即 30%</translation>
    </message>
    <message>
        <source>Whole number</source>
        <translation>整数</translation>
    </message>
    <message>
        <source>Value:</source>
        <translation>数值：</translation>
    </message>
    <message>
        <source>From age</source>
        <translation>起始年龄</translation>
    </message>
    <message>
        <source>Yuan per month</source>
        <translation>每月金额（元）</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Yuan (fixed)</source>
        <translation>定额（元）</translation>
    </message>
    <message>
        <source>Ratio</source>
        <translation>比例</translation>
    </message>
    <message>
        <source>Rule is one of: %1</source>
        <translation>规则为以下之一：%1</translation>
    </message>
    <message>
        <source>Add row</source>
        <translation>添加一行</translation>
    </message>
    <message>
        <source>Remove row</source>
        <translation>删除一行</translation>
    </message>
    <message>
        <source>Please enter at least one amount.</source>
        <translation>请至少填写一项金额。</translation>
    </message>
    <message>
        <source>Please enter a value.</source>
        <translation>请填写数值。</translation>
    </message>
    <message>
        <source>The value must be a number, e.g. 1.5.</source>
        <translation>数值应为数字，例如 1.5。</translation>
    </message>
    <message>
        <source>The value must be a whole number.</source>
        <translation>数值应为整数。</translation>
    </message>
    <message>
        <source>Row %1: the age must be a whole number.</source>
        <translation>第 %1 行：年龄应为整数。</translation>
    </message>
    <message>
        <source>Row %1: the ratio must be a number.</source>
        <translation>第 %1 行：比例应为数字。</translation>
    </message>
</context>
</TS>
