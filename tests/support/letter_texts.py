"""Letters (công văn) written for the tests the way departments write them, with the noise pasted letters carry.
Each is a str; line numbers in the tests count from 1 at the first line of the string."""

from __future__ import annotations

# A city department asking cable operators for a crawl over the New Year holiday: page furniture of a
# legal-document site on top, a quoted crawl, an event deadline in hours, curly quotes, non-breaking spaces,
# a hotline, a bare web address and a "Nơi nhận" list.
DA_NANG = """\
Văn bản pháp luật | Tra cứu văn bản | Đăng nhập
THƯ VIỆN VĂN BẢN
Công văn 2156/STTTT-BCVT năm 2016 tuyên truyền thực hiện quy định cấm pháo nổ dịp Tết Dương lịch
UBND THÀNH PHỐ ĐÀ NẴNG
SỞ THÔNG TIN VÀ TRUYỀN THÔNG
-------
Số:\u00a02156 /STTTT-BCVT
V/v tuyên truyền thực hiện nghiêm quy định
cấm sản xuất, buôn bán, vận chuyển, tàng trữ
và đốt pháo nổ dịp Tết Dương lịch 2017
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Đà Nẵng, ngày 21 tháng 12 năm 2016

Kính gửi:
- Trung tâm Truyền hình cáp Đà Nẵng;
- Công ty TNHH Truyền hình cáp Saigontourist - Chi nhánh Đà Nẵng;
- Chi nhánh Tổng công ty Truyền hình cáp Việt Nam (VTVcab) tại Đà Nẵng.

Thực hiện Chỉ thị số 21/CT-UBND ngày 15/12/2016 của Chủ tịch UBND thành phố về việc tăng cường công tác phòng, chống pháo nổ, Sở Thông tin và Truyền thông đề nghị các đơn vị thực hiện chạy dòng chữ chạy dưới màn hình trên các kênh truyền hình do đơn vị cung cấp với nội dung: “Nghiêm cấm sản xuất, buôn bán, vận chuyển, tàng trữ và đốt pháo nổ. Phát hiện vi phạm, đề nghị báo ngay cho cơ quan Công an qua đường dây nóng 0511.1022 hoặc trang tin danang.gov.vn”.

Thời gian thực hiện: từ 0\u00a0giờ ngày 30/12/2016 đến 24\u200bgiờ ngày 02/01/2017; tần suất: thường xuyên.

Đề nghị các đơn vị báo cáo kết quả thực hiện về Sở Thông tin và Truyền thông trước ngày 05/01/2017./.

Nơi nhận:
- Như trên;
- UBND thành phố (b/c);
- Công an thành phố;
- Lưu: VT, BCVT.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC



Nguyễn Văn A
"""

# A province asking its station for a crawl it must word itself (topics), a full-screen notice, a window
# "until the end of April", at least twice a week, and a blank day in the date line.
BINH_DUONG = """\
ỦY BAN NHÂN DÂN
TỈNH BÌNH DƯƠNG
SỞ THÔNG TIN VÀ TRUYỀN THÔNG

Số:   /STTTT-TTBCXB
V/v tuyên truyền Ngày Sách và Văn hóa đọc Việt Nam năm 2021

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Bình Dương, ngày    tháng 3 năm 2021

Kính gửi: Đài Phát thanh và Truyền hình Bình Dương

Hưởng ứng Ngày Sách và Văn hóa đọc Việt Nam lần thứ 8 (21/4/2021), Sở Thông tin và Truyền thông đề nghị Đài Phát thanh và Truyền hình Bình Dương thực hiện các nội dung sau:

1. Thực hiện chạy chữ tuyên truyền trên sóng truyền hình với các nội dung sau:
- Hưởng ứng Ngày Sách và Văn hóa đọc Việt Nam năm 2021;
- Khuyến khích người dân đọc sách, xây dựng văn hóa đọc trong gia đình;
- Giới thiệu các hoạt động của Hội sách tỉnh tại Công viên Thanh Lễ.
Thời gian: từ nay đến hết tháng 4, tối thiểu 2 lần/tuần.

2. Phát bảng thông báo về chương trình Hội sách trước các bản tin thời sự buổi tối.

Trân trọng./.

Nơi nhận:
- Như trên;
- Lưu: VT, TTBCXB.

GIÁM ĐỐC
"""

# A department letter pasted out of a PDF: the header table flattened into "|", a crawl whose words follow
# "với nội dung:" on the same line, a window ending "24h ngày", hours as "từ 19h45 đến 23h00", a switchboard
# number, and the paste cut off mid-word.
QUANG_NAM = """\
UBND TỈNH QUẢNG NAM | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ THÔNG TIN VÀ TRUYỀN THÔNG | Độc lập - Tự do - Hạnh phúc
Số: 1234 /STTTT-TTBCXB | Quảng Nam, ngày 05 tháng 8 năm 2017
V/v tuyên truyền Tháng hành động vì an toàn thực phẩm

Kính gửi: Các doanh nghiệp cung cấp dịch vụ truyền hình trả tiền trên địa bàn tỉnh.

Căn cứ Kế hoạch số 112/KH-BCĐ ngày 01/8/2017 của Ban Chỉ đạo liên ngành vệ sinh an toàn thực phẩm tỉnh, Sở Thông tin và Truyền thông đề nghị các doanh nghiệp thực hiện như sau:

- Chạy chữ trên các kênh truyền hình địa phương với nội dung: Hãy lựa chọn thực phẩm an toàn, có nguồn gốc rõ ràng vì sức khỏe của bạn và gia đình. Mọi thông tin phản ánh xin gọi tổng đài 1900 1559.
- Thời gian thực hiện: từ ngày 08/8/2017 đến 24h ngày 15/8/2017, từ 19h45 đến 23h00 hằng ngày.

Sở Thông tin và Truyền thông đề nghị các doanh nghiệp phối hợp thực hiện và báo cáo kết quả về Sở trước ngày 20/8/20"""

# The Hậu Giang letter's crawl as a PDF's text layer gives it: lines wrapped mid-sentence and some syllables
# run together.
PDF_WRAPPED = """\
UBND TỈNH HẬU GIANG
SỞ THÔNG TIN VÀ TRUYỀN THÔNG
Số: 337/STTT-CNTT
V/v tuyên truyền ứng dụng khai báo sức
khỏe toàn dân
Hậu Giang, ngày 11 tháng 3 năm 2020
Kính gửi: Các Doanh nghiệp Truyền hình cáp.
Sở Thông tin và Truyền thông đề nghị các đơn vị phối hợp triển khai các nội dung sau:
- Các doanh nghiệp truyền hình cáp: thựchiện chạychữ tuyên truyền với nội dung: (đề nghị người
dân tải ứng dụng NCOVI tại địa chỉ: https://ncovi.vnpt.vn để được hỗ trợ nhanh nhất từ cơ quan y
tế)
Thời gian thực hiện: từ ngày 12/3/2020 đến 15/3/2020
Nơi nhận:
- Như trên;
"""
