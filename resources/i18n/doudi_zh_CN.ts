<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
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
    <name>Main</name>
    <message>
        <source>Doudi</source>
        <translation>兜底</translation>
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
</TS>
