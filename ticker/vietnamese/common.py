"""Common words of the public notices stations crawl (health, telecoms, safety, elections, administration), the
ones a letter's typo is checked against (ticker.vietnamese.lexicon), and the words of grammar never offered a
correction. Every syllable of every word in COMMON is in the word list (a test sees to it); ADDED are the
few the list lacks."""

from __future__ import annotations

_COMMON = """
    y tế; khai báo; ứng dụng; người dân; phòng chống; phòng, chống; dịch bệnh; tiêm chủng; khẩu trang;
    sát khuẩn; cách ly; xét nghiệm; triệu chứng; sức khỏe; sức khoẻ; bệnh viện; trạm y tế; cơ sở y tế; điều trị;
    điện thoại; di động; thuê bao; tổng đài; đường dây nóng; thông tin; truyền thông; truyền hình; phát thanh;
    tuyên truyền; an toàn; giao thông; bầu cử; cử tri; đại biểu; quốc hội; chính phủ; nhân dân; thành phố;
    dịch vụ; dịch vụ công; công dân; căn cước; định danh; điện tử; tài khoản; mật khẩu; lừa đảo; cảnh giác;
    mạng xã hội; trang web; truy cập; địa chỉ; quét mã; mã số; cài đặt; tải về; hướng dẫn; hỗ trợ; liên hệ;
    phản ánh; kiến nghị; giải quyết; thủ tục; hành chính; trực tuyến; thanh toán; ngân hàng; bảo hiểm; xã hội;
    môi trường; rác thải; phân loại; tiết kiệm; điện năng; nước sạch; phòng cháy; chữa cháy; cứu nạn; cứu hộ;
    bão lũ; thiên tai; sạt lở; ngập lụt; thời tiết; cảnh báo; khẩn cấp; sơ tán; an ninh; trật tự; ma túy;
    tệ nạn; bạo lực; gia đình; trẻ em; phụ nữ; người cao tuổi; học sinh; sinh viên; giáo dục; đuối nước;
    rượu bia; tai nạn; mũ bảo hiểm; tốc độ; nghĩa vụ quân sự; lao động; việc làm; nông nghiệp; nông thôn;
    gia cầm; sốt xuất huyết; vệ sinh; thực phẩm; ngộ độc; chuyển đổi số; chữ ký số; kinh tế; du lịch; văn hóa;
    văn hoá; lễ hội; kỷ niệm; quốc khánh; hưởng ứng; chiến dịch; phong trào; toàn dân; đoàn kết; chung tay;
    đẩy lùi; khuyến cáo; thực hiện; nghiêm túc; quy định; pháp luật; xử phạt; vi phạm; nghiêm cấm; bảo vệ;
    quyền lợi; người tiêu dùng; hàng giả; chất lượng; thị trường; hạn chế; tụ tập; đông người; giãn cách;
    khoảng cách; thông điệp; rửa tay; xà phòng; dung dịch; tổ chức; cá nhân; doanh nghiệp; cơ quan; đơn vị;
    địa phương; chính quyền; trung ương; thông báo; kịp thời; chính xác; miễn phí; đăng ký; tra cứu; kết quả;
    hồ sơ; giấy tờ; phương tiện; xe máy; ô tô; đường bộ; viễn thông; nhà mạng; tin nhắn; cuộc gọi;
    chuẩn hoá; tạm dừng; mã vùng; cố định; bệnh nhân; phát hiện; nghi ngờ; cấp độ; vùng dịch; tiếp xúc;
    người bệnh; kiểm soát; dịch tễ; tờ khai; cài đặt ứng dụng; đề nghị; khuyến khích; bắt buộc; trân trọng;
    """
COMMON = frozenset(" ".join(w.replace(",", "").split()) for w in _COMMON.split(";")) - {""}
# Words of public notices the word list lacks (it writes "vaccine"); added to it, and common too.
ADDED = frozenset({"vắc xin", "vắc-xin"})

# Words of grammar: the letter's own word, never the one a suspect pair corrects ("cấp do vi rút": caused by).
_FUNCTION = """và với của cho là có được để các những từ tại trong trên dưới do vì nên thì mà này đó đã đang sẽ
không chưa rất cũng như theo về khi nếu hoặc hay bị ở ra vào lên đến tới sau trước bằng qua người một"""
FUNCTION = frozenset(_FUNCTION.split())
